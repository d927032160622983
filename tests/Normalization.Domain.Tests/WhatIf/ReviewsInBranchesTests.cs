using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Tests.Support;
using DomainWhatIf = Normalization.Domain.WhatIf.WhatIf;

namespace Normalization.Domain.Tests.WhatIf;

/// <summary>
/// How far the record reaches holds at every date (docs/stage-model.md), like a retraction: a branch point before the
/// record's latest review still answers with that review's coverage, as the state as of that date does — in the branch
/// and in its baseline (docs/what-if.md, "The rules of a branch").
/// </summary>
public class ReviewsInBranchesTests
{
    static readonly DateOnly Today = new(2025, 6, 30);
    static readonly DateOnly BranchPoint = new(2024, 6, 30);

    /// <summary>Talks in January 2024, and a review made in 2025 that vouches for the record through 2024.</summary>
    static NegotiationEvent[] Record() =>
    [
        new TalksHeld { EventId = Given.Id(1), OccurredOn = DomainDate.Parse("2024-01-10"), Actor = Given.US, Target = Given.TB, Participants = [Given.US, Given.TB] },
        new RecordReviewed { EventId = Given.Id(2), OccurredOn = DomainDate.Parse("2025-01-15"), Actor = "EDITOR", CoveredUntil = DomainDate.Parse("2024-12-31") },
    ];

    [Fact]
    public void Given_a_review_dated_after_the_branch_point_When_branched_Then_the_branch_and_its_baseline_keep_its_coverage_as_the_state_does()
    {
        // Given a record whose review was made after the branch point
        var record = Record();

        // When branched before the review, with no change
        var result = DomainWhatIf.From(RandomHistory.Opening, record).Today(Today).AsOf(BranchPoint).Project();

        // Then both answer the review's coverage — not extrapolated on a day it covers — as the state on that day does
        var state = NegotiationFold.StateAsOf(RandomHistory.Opening, record, BranchPoint);
        state.CoveredUntil.ShouldBe(new DateOnly(2024, 12, 31));
        foreach (var s in new[] { result.State, result.Baseline! })
        {
            s.CoveredUntil.ShouldBe(state.CoveredUntil);
            s.Extrapolated.ShouldBe(state.Extrapolated);
            s.Extrapolated.ShouldBeFalse();
        }
    }

    [Fact]
    public void Given_a_review_dated_after_the_branch_point_When_the_branch_removes_it_Then_only_the_branch_loses_its_coverage()
    {
        // Given the same record
        var record = Record();

        // When the branch removes the review, projecting into 2025
        var result = DomainWhatIf.From(RandomHistory.Opening, record).Today(Today).AsOf(BranchPoint).Remove(Given.Id(2)).Project(new DateOnly(2025, 3, 1));

        // Then the branch has no coverage (the opening declares none), the baseline still has the review's
        result.State.CoveredUntil.ShouldBeNull();
        result.State.Extrapolated.ShouldBeFalse();
        result.Baseline!.CoveredUntil.ShouldBe(new DateOnly(2024, 12, 31));
        result.Baseline.Extrapolated.ShouldBeTrue();
    }
}
