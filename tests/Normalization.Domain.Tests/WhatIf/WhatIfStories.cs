using Normalization.Domain.Catalog;
using Normalization.Domain.Stages;
using Normalization.Domain.WhatIf;
using static Normalization.Domain.Tests.WhatIf.SeedStory;

namespace Normalization.Domain.Tests.WhatIf;

/// <summary>What-if stories on the seed history: branch at CNN's report (2025-04-03), change one thing, read the answer.</summary>
public class WhatIfStories
{
    [Fact]
    public void What_if_the_Taliban_returned_the_US_equipment()
    {
        var result = History().AsOf(ReportDay)
            .Add(new DemandMet { DemandId = "us-equipment", OccurredOn = DomainDate.Parse("2025-04-10"), Actor = "TB", Target = "US" })
            .Project();

        result.ProjectedAt.ShouldBe(D("2025-04-10"));
        result.State.Stage.ShouldBe(Stage.ConfidenceBuilding);
        result.Diff.Ledger("demand").ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            c => c.Key.ShouldBe("us-equipment"), c => c.Before.ShouldBe("Refused"), c => c.After.ShouldBe("Met"), c => c.Hypothetical.ShouldBeTrue());
        result.Diff.Momentum.Delta.ShouldBe(5.0); // DemandMet weighs +5 (Goldstein)
    }

    [Fact]
    public void What_if_the_office_request_were_granted_as_a_liaison_office()
    {
        var result = History().AsOf(ReportDay)
            .Add(new OfficeOpened { OfficeKind = OfficeKind.LiaisonOffice, City = "New York", OccurredOn = DomainDate.Parse("2025-05-01"), Actor = "TB", Target = "US" })
            .Project();

        result.Diff.StageBefore.ShouldBe(Stage.ConfidenceBuilding);
        result.Diff.StageAfter.ShouldBe(Stage.Representation);
        result.Diff.StageSinceAfter.ShouldBe(D("2025-05-01"));
        result.Diff.TransitionsAppeared.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            t => t.Rule.ShouldBe("office-operating"), t => t.From.ShouldBe(Stage.ConfidenceBuilding), t => t.Hypothetical.ShouldBeTrue());
        result.Diff.Ledger("request").ShouldHaveSingleItem().After.ShouldBe("Granted");
        result.Diff.Ledger("office").ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            o => o.Key.ShouldBe("TB→US LiaisonOffice New York"), o => o.Before.ShouldBeNull());
    }

    static readonly PersonDetained AmericanDetained = new()
        { Person = "an American aid worker", Nationality = "US", OccurredOn = DomainDate.Parse("2025-04-04"), Actor = "TB", Target = "US" };

    [Fact]
    public void What_if_an_American_were_detained_the_next_day_and_no_talks_followed_for_a_year()
    {
        // Talks of 2025-03-20 count for 365 days, until 2026-03-20; the detention (2025-04-04) counts until 2026-04-04.
        var result = History().AsOf(ReportDay).Today(D("2025-04-04")).Add(AmericanDetained).Project(D("2026-03-25"));

        result.State.Stage.ShouldBe(Stage.Hostility);
        result.State.StageSince.ShouldBe(D("2026-03-20"));
        result.State.Why.Rule.ShouldBe("hostile-act-without-talks");
        result.Baseline!.Stage.ShouldBe(Stage.Estrangement); // without it, the same day falls to no contact
        result.Diff.TransitionsAppeared.ShouldContain(t => t.On == D("2026-03-20") && t.To == Stage.Hostility && t.Hypothetical);
        result.Diff.TransitionsVanished.ShouldContain(t => t.On == D("2026-03-20") && t.To == Stage.Estrangement);
        result.Diff.Momentum.Delta.ShouldBe(0); // the detention is out of the 90-day window by then

        var later = History().AsOf(ReportDay).Today(D("2025-04-04")).Add(AmericanDetained).Project(D("2026-04-15"));
        later.State.Stage.ShouldBe(Stage.Estrangement);
        later.State.StageSince.ShouldBe(D("2026-04-04"));
    }

    [Fact]
    public void A_detention_dated_after_today_is_refused_with_its_field_path()
    {
        var result = History().AsOf(ReportDay).Today(ReportDay).Add(AmericanDetained).Project();

        result.IsValid.ShouldBeFalse();
        result.Errors.ShouldContain(e => e.Path == "add[0].occurredOn" && e.Code == "in_future");
        result.Projected.ShouldBeNull();
    }

    [Fact]
    public void What_if_the_Haqqani_reward_rescission_were_retracted()
    {
        var atReport = History().AsOf(ReportDay).Remove(HaqqaniRewards).Project();
        atReport.State.Stage.ShouldBe(Stage.ConfidenceBuilding); // the US gesture of the January exchange still counts
        atReport.Diff.Momentum.Delta.ShouldBe(-5.0);
        atReport.Diff.Ledger("gesture").ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            g => g.Key.ShouldBe("US RewardRescinded 2025-03-22"), g => g.After.ShouldBeNull());

        // ...but only until 2026-01-21, a year after the exchange, instead of lasting until the talks expire.
        var result = History().AsOf(ReportDay).Remove(HaqqaniRewards).Project(D("2026-02-01"));
        result.Diff.StageBefore.ShouldBe(Stage.ConfidenceBuilding);
        result.Diff.StageAfter.ShouldBe(Stage.Exploratory);
        result.Diff.StageSinceAfter.ShouldBe(D("2026-01-21"));

        // Removing it and recording a (hypothetical) retraction of it are the same history.
        var retracted = History().AsOf(ReportDay)
            .Add(new EventRetracted { TargetEventId = HaqqaniRewards, Reason = "what if", OccurredOn = DomainDate.Parse("2025-04-03"), Actor = "US" })
            .Project(D("2026-02-01"));
        Json(retracted.State.StageHistory).ShouldBe(Json(result.State.StageHistory));
    }

    [Fact]
    public void Changes_resting_on_a_hypothetical_correction_or_retraction_are_hypothetical_and_name_it()
    {
        // Given the seed's first recorded prisoner release, corrected hypothetically on the same day (its replacement keeps
        // the release's id), and, in another branch, retracted hypothetically
        var release = History().Recorded.OfType<PrisonerReleased>().First();
        var correction = new EventCorrected
        {
            EventId = Guid.NewGuid(), TargetEventId = release.EventId, OccurredOn = DomainDate.Parse("2025-04-03"), Actor = "US",
            Correction = release with { Person = "Someone else entirely" },
        };
        var retraction = new EventRetracted { EventId = Guid.NewGuid(), TargetEventId = release.EventId, Reason = "what if", OccurredOn = DomainDate.Parse("2025-04-03"), Actor = "US" };

        // When both are projected
        var corrected = History().AsOf(ReportDay).Add(correction).Project();
        var retracted = History().AsOf(ReportDay).Add(retraction).Project();

        // Then every prisoner change rests on the hypothetical event: it says so and names it beside the release
        var changes = corrected.Diff.Ledger("prisoner").ToList();
        changes.ShouldNotBeEmpty();
        changes.ShouldContain(c => c.After != null && c.Key.Contains("Someone else entirely"));
        changes.ShouldAllBe(c => c.Hypothetical && c.EventIds.Contains(correction.EventId) && c.EventIds.Contains(release.EventId));
        var gone = retracted.Diff.Ledger("prisoner").ShouldHaveSingleItem();
        gone.After.ShouldBeNull();
        gone.Hypothetical.ShouldBeTrue();
        gone.EventIds.ShouldContain(retraction.EventId);
    }

    [Fact]
    public void A_year_with_no_talks_after_April_2025()
    {
        var result = History().AsOf(D("2025-04-30")).Project(D("2026-04-15"));

        result.State.Stage.ShouldBe(Stage.Estrangement);
        result.State.StageSince.ShouldBe(D("2026-03-20")); // 2025-03-20 + 365 days
        result.State.StageHistory[^1].From.ShouldBe(Stage.ConfidenceBuilding);
        result.Diff.StageChanged.ShouldBeFalse(); // nothing hypothetical: the baseline says the same
    }

    [Fact]
    public void Removing_by_filter_takes_out_every_matching_recorded_event()
    {
        var result = History().AsOf(ReportDay).Remove<TalksHeld>(t => t.OccurredOn.Year == 2025).Project();

        result.Removed.ShouldBe([KabulTalks]);
        result.State.Stage.ShouldBe(Stage.Estrangement);
        result.Diff.TransitionsVanished.ShouldContain(t => t.On == D("2025-03-20") && t.To == Stage.ConfidenceBuilding);
    }

    [Fact]
    public void Replacing_the_Kabul_talks_by_senior_talks_changes_nothing_the_rules_read()
    {
        var result = History().AsOf(ReportDay)
            .Replace(KabulTalks, new TalksHeld { Participants = ["US", "TB"], Level = TalksLevel.Senior, OccurredOn = DomainDate.Parse("2025-03-20"), Actor = "US", Target = "TB" })
            .Project();

        result.Removed.ShouldBe([KabulTalks]);
        result.Hypothetical.ShouldHaveSingleItem().ShouldSatisfyAllConditions(h => h.Origin.ShouldBe("replace"), h => h.Event.Hypothetical.ShouldBeTrue());
        result.Diff.StageChanged.ShouldBeFalse();
        result.Diff.TransitionsAppeared.ShouldBeEmpty(); // transitions compare by date, stages and rule, not by the events behind them
        result.State.StageHistory[^1].EventIds.ShouldContain(result.Hypothetical[0].EventId);
        EventJson.Serialize(result.Hypothetical[0].Event).ShouldContain("\"hypothetical\":true");
        Json(result).ShouldContain("\"hypothetical\":true");
    }

    [Fact]
    public void Every_invalid_change_is_reported_with_its_path()
    {
        var result = History().AsOf(ReportDay)
            .Remove(Guid.NewGuid())
            .Replace(Guid.NewGuid(), new TalksHeld { Participants = ["US"], OccurredOn = DomainDate.Parse("2025-03-21"), Actor = "US", Target = "TB" })
            .Add(new DemandMet { DemandId = "no-such-demand", OccurredOn = DomainDate.Parse("2025-04-10"), Actor = "TB", Target = "US" })
            .Project();

        result.Errors.Select(e => e.Path).ShouldBe(["remove[0]", "replace[0].eventId", "replace[0].event.participants", "add[0].demandId"], ignoreOrder: true);
        Should.Throw<InvalidOperationException>(() => result.State);
    }

    [Fact]
    public void With_no_changes_the_branch_is_the_stored_fold()
    {
        var history = History();
        var result = history.Project(D("2025-06-01"));

        var folded = Normalization.Domain.Folding.NegotiationFold.StateAsOf(history.Opening, history.Recorded, D("2025-06-01"));
        Json(result.State).ShouldBe(Json(folded));
        Json(result.Baseline).ShouldBe(Json(folded));
    }

    static string Json<T>(T value) => System.Text.Json.JsonSerializer.Serialize(value, EventJson.Options);

    [Fact]
    public void Scenarios_side_by_side()
    {
        var table = Scenarios.Compare(History().AsOf(D("2025-04-30")).Today(D("2026-04-15")), D("2026-04-15"),
            ("no talks for a year", b => b),
            ("talks in January 2026", b => b.Add(new TalksHeld { Participants = ["US", "TB"], OccurredOn = DomainDate.Parse("2026-01-15"), Actor = "US", Target = "TB" })),
            ("liaison office", b => b.Add(new OfficeOpened { OfficeKind = OfficeKind.LiaisonOffice, OccurredOn = DomainDate.Parse("2025-06-01"), Actor = "TB", Target = "US" })),
            ("invalid", b => b.Add(new TalksHeld { Participants = ["US", "TB"], OccurredOn = DomainDate.Parse("2027-01-01"), Actor = "US", Target = "TB" })));

        table.Select(r => r.Scenario).ShouldBe(["baseline", "no talks for a year", "talks in January 2026", "liaison office", "invalid"]);
        table["no talks for a year"].ShouldSatisfyAllConditions(r => r.Stage.ShouldBe(Stage.Estrangement), r => r.StageSince.ShouldBe(D("2026-03-20")));
        table["talks in January 2026"].ShouldSatisfyAllConditions(r => r.Stage.ShouldBe(Stage.Exploratory), r => r.StageSince.ShouldBe(D("2026-03-22")));
        table["liaison office"].Stage.ShouldBe(Stage.Representation);
        table["invalid"].Errors.ShouldNotBeEmpty();
        table.ToString().ShouldContain("| talks in January 2026 | Exploratory | 2026-03-22 |");
    }
}
