using Normalization.Domain.Catalog;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;
using Normalization.Domain.WhatIf;

namespace Normalization.Domain.Tests.WhatIf;

using WhatIf = Normalization.Domain.WhatIf.WhatIf;

/// <summary>
/// The projection date of a what-if whose changes cannot be read. A branch without <c>.AsOf</c> projects to the record's
/// last recorded day (what-if.md, "Defaults differ in one place"); a trial (US–North Korea, 2018–2019, in a user's own tests)
/// saw a result refused for an undated or unreadable event answer <c>ProjectedAt</c> = today instead — and
/// <c>Scenarios.Compare</c>, which projects every row to the latest of its scenarios' dates, then moved the baseline and
/// every valid row to today (2026: Estrangement) because one scenario was invalid.
/// </summary>
public class InvalidScenarioDateTests
{
    static readonly NegotiationOpened Opening = new()
    {
        Id = "us-dprk-invalid-date", Title = "United States – North Korea",
        Parties = [new Party { Code = "US", Name = "United States" }, new Party { Code = "KP", Name = "North Korea" }],
    };

    static Branch History() => WhatIf.From(Opening,
        [
            new TalksHeld { OccurredOn = DomainDate.Parse("2019-06-30"), Actor = "US", Target = "KP", Participants = ["US", "KP"] },
            new TalksHeld { OccurredOn = DomainDate.Parse("2019-10-05"), Actor = "US", Target = "KP", Participants = ["US", "KP"] },
        ]).Today(new DateOnly(2026, 12, 3));

    static readonly NegotiationEvent Undated = new TalksHeld { Actor = "US", Target = "KP", Participants = ["US", "KP"] };
    static readonly NegotiationEvent LowerCase = new TalksHeld { OccurredOn = DomainDate.Parse("2019-07-01"), Actor = "us", Target = "KP", Participants = ["US", "KP"] };

    [Fact]
    public void Given_a_branch_without_a_branch_point_When_its_changes_cannot_be_read_Then_it_still_answers_the_last_recorded_day()
    {
        History().Add(Undated).Project().ProjectedAt.ShouldBe(new DateOnly(2019, 10, 5));
        History().Add(LowerCase).Project().ProjectedAt.ShouldBe(new DateOnly(2019, 10, 5));
    }

    [Fact]
    public void Given_a_comparison_with_an_invalid_scenario_When_compared_Then_the_valid_rows_keep_their_projection_date()
    {
        var table = Scenarios.Compare(History(),
            ("no Stockholm", b => b.Remove(e => e.OccurredOn.ToString() == "2019-10-05")),
            ("undated summit", b => b.Add(Undated)));

        table["baseline"].ProjectedAt.ShouldBe(new DateOnly(2019, 10, 5));
        table["baseline"].Stage.ShouldBe(Stage.Exploratory);
        table["undated summit"].Errors.ShouldNotBeEmpty();
    }
}
