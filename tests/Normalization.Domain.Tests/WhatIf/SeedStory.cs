using Normalization.Domain.WhatIf;

namespace Normalization.Domain.Tests.WhatIf;

// Inside namespace Normalization.Domain.*, "WhatIf" alone names the namespace; this alias makes it the entry class.
using WhatIf = Normalization.Domain.WhatIf.WhatIf;

/// <summary>The shipped US–Taliban history as the start of every what-if story, and the seed's event ids the stories touch.</summary>
static class SeedStory
{
    public static readonly Guid HaqqaniRewards = Guid.Parse("82f13cab-8c24-5784-9dce-c240e2064068");
    public static readonly Guid OfficeRequest = Guid.Parse("37e8b049-945f-5f50-aa24-34077479c407");
    public static readonly Guid KabulTalks = Guid.Parse("ccb61481-8e6c-57f0-9bce-f80ff38d29ea");

    /// <summary>The day CNN's report was published: the last day of the seed.</summary>
    public static readonly DateOnly ReportDay = new(2025, 4, 3);

    public static Branch History() =>
        WhatIf.FromNdjson(Path.Combine(AppContext.BaseDirectory, "Seed", "us-taliban.ndjson"), today: new DateOnly(2026, 1, 1));

    public static DateOnly D(string date) => DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);
}
