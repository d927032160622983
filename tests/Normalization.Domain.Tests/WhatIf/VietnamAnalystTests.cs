using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;
using Normalization.Domain.WhatIf;

namespace Normalization.Domain.Tests.WhatIf;

using WhatIf = Normalization.Domain.WhatIf.WhatIf;

/// <summary>
/// An analyst's own history, built in code as docs/what-if.md shows (<c>WhatIf.From(opening, events)</c>): US–Vietnam
/// 1991–1995 with month-precision dates and the embargo as a baseline sanction (no event imposes it). What a user of the
/// package saw in a trial: the embargo's ledger key began with a space, and a projection date before the branch point
/// was answered by the library where the API refuses it; and events built without an <c>EventId</c> — as the docs build
/// them — were read as one event (all of id <see cref="Guid.Empty"/>): three events folded as one, a removal took all three.
/// </summary>
public class VietnamAnalystTests
{
    const string Embargo = "US trade embargo on Vietnam";
    static readonly Guid EmbargoLifted = Guid.Parse("5e1a0000-0000-0000-0000-000000000003");

    static readonly NegotiationOpened Opening = new()
    {
        Id = "us-vietnam-analyst", Title = "United States – Vietnam",
        Parties = [new Party { Code = "US", Name = "United States" }, new Party { Code = "VN", Name = "Vietnam" }],
        Baseline = new Baseline { Sanctions = [Embargo] },
    };

    static Branch History() => WhatIf.From(Opening,
    [
        new TalksHeld { OccurredOn = DomainDate.Parse("1991-04"), Actor = "US", Target = "VN", Participants = ["US", "VN"], EventId = Guid.NewGuid() },
        new OfficeOpened { OccurredOn = DomainDate.Parse("1993-07"), Actor = "US", Target = "VN", OfficeKind = OfficeKind.RepresentativeOffice, City = "Hanoi", EventId = Guid.NewGuid() },
        new SanctionsEased { OccurredOn = DomainDate.Parse("1994-02"), Actor = "US", Target = "VN", Scope = Embargo, EventId = EmbargoLifted },
        new OfficeOpened { OccurredOn = DomainDate.Parse("1995-01"), Actor = "US", Target = "VN", OfficeKind = OfficeKind.LiaisonOffice, City = "Hanoi", EventId = Guid.NewGuid() },
        new RelationsEstablished { OccurredOn = DomainDate.Parse("1995-07"), Actor = "US", Target = "VN", EventId = Guid.NewGuid() },
    ]).Today(new DateOnly(2026, 12, 2));

    [Fact]
    public void Given_the_embargo_in_the_baseline_When_its_lifting_is_removed_Then_the_ledger_change_is_keyed_by_its_scope()
    {
        var result = History().AsOf(new DateOnly(1994, 6, 30)).Remove(EmbargoLifted).Project();

        result.State.Stage.ShouldBe(Stage.Representation);   // the MIA office in Hanoi: structural, whatever the embargo
        result.Diff.Ledger("sanction").ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            c => c.Key.ShouldBe(Embargo),                       // a baseline sanction has no "by": no leading space
            c => c.Before.ShouldBeNull(),
            c => c.After.ShouldBe("imposed"));
        result.Diff.Ledger("gesture").ShouldHaveSingleItem().Key.ShouldBe("US SanctionsEased 1994-02-28");
    }

    [Fact]
    public void Given_a_branch_point_When_projected_to_an_earlier_date_Then_projectTo_is_out_of_range_as_over_HTTP()
    {
        var result = History().AsOf(new DateOnly(1995, 12, 31)).Remove(EmbargoLifted).Project(at: new DateOnly(1994, 1, 1));

        result.IsValid.ShouldBeFalse();
        result.Errors.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            e => e.Path.ShouldBe("projectTo"), e => e.Code.ShouldBe("out_of_range"),
            e => e.Message.ShouldBe("projectTo must not be before asOf (1995-12-31)."));
        Should.Throw<InvalidOperationException>(() => result.State);
    }

    [Fact]
    public void Given_a_branch_point_When_projected_to_it_or_later_Then_it_answers()
    {
        History().AsOf(new DateOnly(1995, 12, 31)).Project(at: new DateOnly(1995, 12, 31)).State.Stage.ShouldBe(Stage.FullRelations);
        History().AsOf(new DateOnly(1994, 6, 30)).Remove(EmbargoLifted).Project(at: new DateOnly(1996, 1, 1)).State.Stage.ShouldBe(Stage.Representation);
    }

    [Fact]
    public void Given_no_branch_point_When_projected_Then_it_is_as_of_the_last_recorded_day_not_today()
    {
        // HTTP's asOf defaults to today; the library's branch defaults to the whole record, projected to its last day.
        var result = History().Project();

        result.BranchedAt.ShouldBeNull();
        result.ProjectedAt.ShouldBe(new DateOnly(1995, 7, 31));
        result.State.Momentum.Score.ShouldBe(3.5);            // RelationsEstablished, still in the 90-day window
        History().AsOf(new DateOnly(2026, 12, 2)).Project().State.Momentum.Score.ShouldBe(0);
    }

    static NegotiationEvent[] WithoutIds() =>
    [
        new TalksHeld { OccurredOn = DomainDate.Parse("1991-04"), Actor = "US", Target = "VN", Participants = ["US", "VN"] },
        new OfficeOpened { OccurredOn = DomainDate.Parse("1993-07"), Actor = "US", Target = "VN", OfficeKind = OfficeKind.RepresentativeOffice, City = "Hanoi" },
        new RelationsEstablished { OccurredOn = DomainDate.Parse("1995-07"), Actor = "US", Target = "VN" },
    ];

    [Fact]
    public void Given_events_built_without_ids_When_folded_Then_each_counts_as_itself()
    {
        var state = NegotiationFold.StateAsOf(Opening, WithoutIds(), new DateOnly(1996, 1, 1));

        state.EventCount.ShouldBe(3);
        state.Stage.ShouldBe(Stage.FullRelations);
        state.StageHistory.Count.ShouldBe(5);   // baseline, talks, their expiry, the office, relations
        NegotiationFold.FoldAll(Opening, WithoutIds()).EventCount.ShouldBe(3);
        NegotiationFold.Effective(WithoutIds()).Select(e => e.EventId).ShouldBeUnique();
    }

    [Fact]
    public void Given_events_built_without_ids_When_one_is_removed_from_a_branch_Then_only_it_goes()
    {
        var branch = WhatIf.From(Opening, WithoutIds()).Today(new DateOnly(2026, 12, 2));
        branch.Recorded.ShouldAllBe(e => e.EventId != Guid.Empty);

        var result = branch.AsOf(new DateOnly(1996, 1, 1)).Remove<RelationsEstablished>().Project();

        result.Removed.ShouldHaveSingleItem();
        result.Baseline!.Stage.ShouldBe(Stage.FullRelations);
        result.State.Stage.ShouldBe(Stage.Representation);
        result.State.EventCount.ShouldBe(2);
        Scenarios.Compare(Opening, WithoutIds(), ("no relations", b => b.Remove<RelationsEstablished>()))["no relations"].Stage.ShouldBe(Stage.Representation);
    }
}
