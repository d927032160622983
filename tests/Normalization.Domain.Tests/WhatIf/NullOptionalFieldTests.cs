using Normalization.Domain.Catalog;
using Normalization.Domain.Negotiations;
using Normalization.Domain.WhatIf;

namespace Normalization.Domain.Tests.WhatIf;

using WhatIf = Normalization.Domain.WhatIf.WhatIf;

/// <summary>
/// One rule for null (docs/reliability.md, <c>EventReader</c>): an optional field sent as null is the same as a missing
/// one. A trial (a US–North Korea history in a user's own tests, from the package) built a hypothetical event in code with
/// <c>Sources = null</c>, and an agreement with <c>Commitments = null</c>: <c>Project()</c> threw ArgumentNullException
/// ("Parameter 'source'") from the validator, where the same events in a what-if body (<c>"sources": null</c>,
/// <c>"commitments": null</c>) answer 200. A what-if in code now folds the event as the reader reads it.
/// </summary>
public class NullOptionalFieldTests
{
    static readonly NegotiationOpened Opening = new()
    {
        Id = "us-dprk-null-fields", Title = "United States – North Korea",
        Parties = [new Party { Code = "US", Name = "United States" }, new Party { Code = "KP", Name = "North Korea" }],
    };
    static readonly Guid Missiles = Guid.Parse("2019b000-0000-4000-8000-000000000504");

    static Branch History() => WhatIf.From(Opening,
        [
            new TalksHeld { OccurredOn = DomainDate.Parse("2019-06-30"), Actor = "US", Target = "KP", Participants = ["US", "KP"] },
            new ThreatIssued { EventId = Missiles, OccurredOn = DomainDate.Parse("2019-05-04"), Actor = "KP", Target = "US" },
        ]).Today(new DateOnly(2026, 12, 3)).AsOf(new DateOnly(2019, 10, 6));

    static AgreementSigned Agreement(IReadOnlyList<Source>? sources, IReadOnlyList<Commitment>? commitments) => new()
    {
        OccurredOn = DomainDate.Parse("2019-10-05"), Actor = "US", Target = "KP", Name = "Stockholm framework",
        Signatories = ["US", "KP"], Sources = sources!, Commitments = commitments!,
    };

    [Fact]
    public void Given_hypothetical_events_with_null_optional_lists_When_projected_Then_they_fold_as_if_the_lists_were_empty()
    {
        var withNulls = History()
            .Add(Agreement(null, null))
            .Replace(Missiles, new ThreatIssued { OccurredOn = DomainDate.Parse("2018-05-04"), Actor = "KP", Target = "US", Sources = null! })
            .Project();
        var withEmpty = History()
            .Add(Agreement([], []))
            .Replace(Missiles, new ThreatIssued { OccurredOn = DomainDate.Parse("2018-05-04"), Actor = "KP", Target = "US" })
            .Project();

        withNulls.Errors.ShouldBeEmpty();
        withNulls.State.Stage.ShouldBe(withEmpty.State.Stage);
        withNulls.State.StageSince.ShouldBe(withEmpty.State.StageSince);
        withNulls.State.Momentum.Score.ShouldBe(withEmpty.State.Momentum.Score);
        withNulls.Hypothetical.ShouldAllBe(h => h.Event.Sources != null && h.Event.Sources.Count == 0 && h.Event.Hypothetical);
        ((AgreementSigned)withNulls.Hypothetical.Single(h => h.Origin == "add").Event).Commitments.ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_hypothetical_event_with_a_null_required_list_When_projected_Then_it_is_required_at_its_field_not_thrown()
    {
        var result = History()
            .Add(new TalksHeld { OccurredOn = DomainDate.Parse("2019-10-05"), Actor = "US", Target = "KP", Participants = null!, Sources = null! })
            .Project();

        result.Errors.Select(e => (e.Path, e.Code)).ShouldBe([("add[0].participants", "required")]);
    }
}
