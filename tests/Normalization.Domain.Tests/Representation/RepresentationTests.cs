using Normalization.Domain.Catalog;
using Normalization.Domain.Ledger;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;
using Normalization.Domain.Tests.Support;
using static Normalization.Domain.Tests.Support.Given;

namespace Normalization.Domain.Tests.Representation;

/// <summary>
/// The level of representation each way (Correlates of War Diplomatic Exchange levels) and the rule
/// relations-without-envoys (docs/stage-model.md): relations that stand with no envoy either way read Recognition.
/// </summary>
public class RepresentationTests
{
    static readonly Baseline Relations = new() { Relations = RelationsStatus.Established };

    [Fact]
    public void Given_relations_and_no_representation_event_When_folded_Then_levels_are_unrecorded_and_FullRelations_holds()
    {
        var state = Negotiation(Relations).At("2020-01-01");

        state.Stage.ShouldBe(Stage.FullRelations);
        state.Why.Rule.ShouldBe("relations-established");
        state.Representation.ShouldBe([new RepresentationEntry(US, TB, null, null, null), new RepresentationEntry(TB, US, null, null, null)]);
    }

    [Fact]
    public void Given_an_ambassador_recalled_When_folded_Then_the_senders_level_is_left_to_a_charge_and_the_ledger_lists_it()
    {
        var n = Negotiation(Relations).Has("2021-03-01", new AmbassadorRecalled { Envoy = "An ambassador" }, US, TB);

        var state = n.At("2021-03-02");

        state.Representation[0].ShouldBe(new RepresentationEntry(US, TB, RepresentationLevel.ChargeDAffaires, D("2021-03-01"), Id(1)));
        state.Representation[1].Level.ShouldBeNull();
        state.Ledger.RepresentationChanges.ShouldBe([new RepresentationChange(US, TB, null, RepresentationLevel.ChargeDAffaires, D("2021-03-01"), nameof(AmbassadorRecalled), Id(1))]);
        state.Ledger.Totals.RepresentationChanges.ShouldBe(1);
        state.Stage.ShouldBe(Stage.FullRelations, "a recall leaves a mission in place");
    }

    [Fact]
    public void Given_an_ambassador_returned_When_folded_Then_the_senders_level_is_ambassador()
    {
        var n = Negotiation(Relations)
            .Has("2021-03-01", new AmbassadorRecalled(), TB, US)
            .Has("2021-09-01", new AmbassadorReturned { Envoy = "The same ambassador" }, TB, US);

        var state = n.At("2021-09-01");

        state.Representation[1].ShouldBe(new RepresentationEntry(TB, US, RepresentationLevel.Ambassador, D("2021-09-01"), Id(2)));
        state.Ledger.RepresentationChanges.Select(c => (c.From, c.To)).ShouldBe([(null, RepresentationLevel.ChargeDAffaires), (RepresentationLevel.ChargeDAffaires, RepresentationLevel.Ambassador)]);
    }

    [Fact]
    public void Given_diplomats_expelled_When_folded_Then_the_targets_mission_keeps_levelLeft_or_its_level_when_none_is_given()
    {
        var n = Negotiation(Relations)
            .Has("2022-01-10", new DiplomatsExpelled { Count = 4 }, US, TB)
            .Has("2022-02-10", new DiplomatsExpelled { LevelLeft = RepresentationLevel.ChargeDAffaires }, US, TB);

        var early = n.At("2022-01-10");
        early.Representation[1].Level.ShouldBeNull("four diplomats expelled: the mission keeps its (unrecorded) level");
        early.Ledger.RepresentationChanges.Single().ShouldBe(new RepresentationChange(TB, US, null, null, D("2022-01-10"), nameof(DiplomatsExpelled), Id(1)));

        var later = n.At("2022-02-10");
        later.Representation[1].ShouldBe(new RepresentationEntry(TB, US, RepresentationLevel.ChargeDAffaires, D("2022-02-10"), Id(2)), "the expelling host is the actor; the target's mission is the one reduced");
        later.Representation[0].Level.ShouldBeNull();
    }

    [Theory]
    [InlineData(RepresentationLevel.None)]
    [InlineData(RepresentationLevel.ChargeDAffaires)]
    [InlineData(RepresentationLevel.Minister)]
    [InlineData(RepresentationLevel.Ambassador)]
    public void Given_relations_downgraded_or_upgraded_When_folded_Then_both_ways_are_set_to_the_level(RepresentationLevel level)
    {
        var down = Negotiation(Relations).Has("2022-05-01", new RelationsDowngraded { Level = level }, TB, US).At("2022-05-01");
        var up = Negotiation(Relations).Has("2022-05-01", new RelationsUpgraded { Level = level }, TB, US).At("2022-05-01");

        foreach (var state in new[] { down, up })
        {
            state.Representation.Select(r => r.Level).ShouldBe([level, level]);
            state.Ledger.RepresentationChanges.Count.ShouldBe(2);
        }
    }

    [Fact]
    public void Given_relations_standing_and_no_envoy_either_way_When_folded_Then_Recognition_by_relations_without_envoys()
    {
        var n = Negotiation(Relations).Has("2011-11-30", new RelationsDowngraded { Level = RepresentationLevel.None }, US, TB);

        var state = n.At("2012-01-01");

        state.Stage.ShouldBe(Stage.Recognition);
        state.Why.Rule.ShouldBe("relations-without-envoys");
        state.Why.EventIds.ShouldBe([Id(1)]);
        state.StageSince.ShouldBe(D("2011-11-30"));
    }

    [Fact]
    public void Given_one_side_still_represented_When_folded_Then_FullRelations_holds()
    {
        var n = Negotiation(Relations)
            .Has("2011-11-30", new DiplomatsExpelled { LevelLeft = RepresentationLevel.None }, US, TB)
            .Has("2011-11-30", new AmbassadorRecalled { LevelLeft = RepresentationLevel.ChargeDAffaires }, US, TB);

        var state = n.At("2012-01-01");

        state.Representation.Select(r => r.Level).ShouldBe([RepresentationLevel.ChargeDAffaires, RepresentationLevel.None]);
        state.Stage.ShouldBe(Stage.FullRelations);
        state.Why.Rule.ShouldBe("relations-established");
    }

    [Fact]
    public void Given_relations_severed_then_restored_When_folded_Then_Recognition_until_an_embassy_reopens()
    {
        var n = Negotiation(Relations)
            .Has("2016-01-03", new RelationsSevered(), US, TB)
            .Has("2023-03-10", new RelationsEstablished(), US, TB)
            .Has("2023-06-06", new OfficeOpened { OfficeKind = OfficeKind.Embassy, City = "Riyadh" }, TB, US);

        n.At("2016-01-03").Representation.Select(r => r.Level).ShouldBe([RepresentationLevel.None, RepresentationLevel.None]);
        var restored = n.At("2023-03-10");
        restored.Stage.ShouldBe(Stage.Recognition);
        restored.Why.Rule.ShouldBe("relations-without-envoys");

        var reopened = n.At("2023-06-06");
        reopened.Representation[1].Level.ShouldBe(RepresentationLevel.ChargeDAffaires);
        reopened.Stage.ShouldBe(Stage.FullRelations);
        reopened.Why.Rule.ShouldBe("relations-established");
    }

    [Fact]
    public void Given_relations_severed_in_the_baseline_When_restored_Then_it_reads_as_after_a_recorded_break()
    {
        // Given the same break twice: in the baseline, and as a RelationsSevered before the restoration
        var severed = new Baseline { Relations = RelationsStatus.Severed };
        NegotiationBuilder Restored(NegotiationBuilder n) => n
            .Has("2015-07-20", new RelationsEstablished(), US, TB)
            .Has("2015-08-14", new OfficeOpened { OfficeKind = OfficeKind.Embassy, City = "Havana" }, US, TB);
        var fromBaseline = Restored(Negotiation(severed));
        var fromEvent = Restored(Negotiation(Relations).Has("1961-01-03", new RelationsSevered(), US, TB));

        // When each is read before the record, on the day relations stand again, and once an embassy opens
        var before = fromBaseline.At("2015-01-01");
        var dates = new[] { "2015-07-20", "2015-08-14" };

        // Then the baseline's break records None both ways, and from the restoration on both read alike: Recognition without
        // envoys, then a chargé d'affaires heading the new embassy and FullRelations
        before.Representation.Select(r => r.Level).ShouldBe([RepresentationLevel.None, RepresentationLevel.None]);
        foreach (var on in dates)
        {
            var (a, b) = (fromBaseline.At(on), fromEvent.At(on));
            (a.Stage, a.Why.Rule).ShouldBe((b.Stage, b.Why.Rule), on);
            a.Representation.Select(r => r.Level).ShouldBe(b.Representation.Select(r => r.Level), on);
        }
        fromBaseline.At("2015-07-20").Why.Rule.ShouldBe("relations-without-envoys");
        fromBaseline.At("2015-08-14").Representation[0].Level.ShouldBe(RepresentationLevel.ChargeDAffaires);
        fromBaseline.At("2015-08-14").Stage.ShouldBe(Stage.FullRelations);
    }

    [Fact]
    public void Given_embassies_both_ways_and_no_level_recorded_When_folded_Then_embassies_both_ways_is_unchanged()
    {
        var n = Negotiation()
            .Has("2020-01-01", new OfficeOpened { OfficeKind = OfficeKind.Embassy }, US, TB)
            .Has("2020-01-01", new OfficeOpened { OfficeKind = OfficeKind.Embassy }, TB, US);

        var state = n.At("2020-02-01");

        state.Stage.ShouldBe(Stage.FullRelations);
        state.Why.Rule.ShouldBe("embassies-both-ways");
        state.Ledger.RepresentationChanges.ShouldBeEmpty("an embassy opened where no level is recorded records none");
    }

    [Fact]
    public void Given_more_than_100_changes_When_folded_Then_the_ledger_keeps_the_latest_100_and_counts_all()
    {
        var n = Negotiation(Relations);
        var day = D("2000-01-01");
        for (var i = 0; i < 60; i++)
            n.Has(day.AddDays(i).ToString("yyyy-MM-dd"), i % 2 == 0 ? new RelationsDowngraded { Level = RepresentationLevel.ChargeDAffaires } : new RelationsUpgraded { Level = RepresentationLevel.Ambassador }, US, TB);

        var state = n.At("2001-01-01");

        state.Ledger.Totals.RepresentationChanges.ShouldBe(120);
        state.Ledger.RepresentationChanges.Count.ShouldBe(100);
        state.Ledger.RepresentationChanges[^1].On.ShouldBe(day.AddDays(59));
    }
}
