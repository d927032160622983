using CsCheck;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Stages;
using Normalization.Domain.Tests.Support;
using static Normalization.Domain.Tests.Support.Given;

namespace Normalization.Domain.Tests.Stages;

/// <summary>
/// Only facts between the two parties move the windowed rules and fill the ledger (docs/stage-model.md, "What counts as
/// talks, a gesture, a hostile act"): an agreement or a prisoner swap of one party with a third country is neither a gesture
/// nor the negotiation's agreement — the test momentum uses (<see cref="Negotiations.NegotiationOpened.IsBetweenTheParties"/>).
/// </summary>
public class ThirdPartyFactsTests
{
    const string RU = "RU";

    /// <summary>Talks US–TB and a TB gesture: one US gesture short of ConfidenceBuilding.</summary>
    static NegotiationBuilder OneGestureShort() => Negotiation().HasTalks("2019-06-30").HasGesture(TB, "2019-07-01");

    [Theory]
    [InlineData(RU)]
    [InlineData(null)]
    public void Given_an_agreement_of_one_party_with_a_third_country_When_folded_Then_it_is_no_gesture_and_not_in_the_ledger(string? target)
    {
        // Given talks, a TB gesture, and an agreement signed by US and RU (coded toward RU, or toward no one)
        var n = OneGestureShort().Has("2019-08-01", new AgreementSigned
        {
            Name = "New START extension", Signatories = [US, RU],
            Commitments = [new Commitment { CommitmentId = "warheads", Party = US, Text = "cap warheads" }],
        }, US, target);

        // When folded
        var state = n.At("2019-08-02");

        // Then the stage stays Exploratory, and neither the gestures nor the agreements nor the momentum count it
        state.Stage.ShouldBe(Stage.Exploratory);
        state.Ledger.Agreements.ShouldBeEmpty();
        state.Ledger.Totals.Agreements.ShouldBe(0);
        state.Ledger.Commitments.ShouldBeEmpty();
        state.Ledger.GestureCountByParty[US].ShouldBe(0);
        state.Momentum.Contributions.ShouldNotContain(c => c.Type == nameof(AgreementSigned));
    }

    [Theory]
    [InlineData(RU)]
    [InlineData(null)]
    public void Given_a_prisoner_swap_of_one_party_with_a_third_country_When_folded_Then_it_is_no_gesture_and_no_release_of_the_party(string? target)
    {
        var n = OneGestureShort().Has("2019-08-01", new PrisonersExchanged
        {
            Releases = [new Release { ReleasedBy = US, Person = "a Russian" }, new Release { ReleasedBy = RU, Person = "an American" }],
        }, US, target);

        var state = n.At("2019-08-02");

        state.Stage.ShouldBe(Stage.Exploratory);
        state.Ledger.GestureCountByParty[US].ShouldBe(0);
        state.Ledger.PrisonersReleasedCountByParty[US].ShouldBe(0);
        state.Ledger.PrisonersReleasedByParty[US].ShouldBeEmpty();
        state.Momentum.Contributions.ShouldNotContain(c => c.Type == nameof(PrisonersExchanged));
    }

    [Fact]
    public void Given_an_agreement_of_both_parties_with_a_mediator_signing_too_When_folded_Then_a_gesture_of_each_party_only()
    {
        // Given talks and an agreement signed by US, TB and the mediator QA, coded as QA's act
        var n = Negotiation().HasTalks("2020-02-29")
            .Has("2020-02-29", new AgreementSigned { Name = "Doha", Signatories = [US, TB, "QA"] }, "QA", null);

        var state = n.At("2020-02-29");

        state.Stage.ShouldBe(Stage.ConfidenceBuilding);
        state.Ledger.Agreements.ShouldHaveSingleItem();
        state.Ledger.GestureCountByParty[US].ShouldBe(1);
        state.Ledger.GestureCountByParty[TB].ShouldBe(1);
        state.Ledger.GestureCountByParty.Keys.ShouldBe([US, TB], ignoreOrder: true);
    }

    static readonly string[] Codes = [US, TB, RU, "QA"];
    static readonly Gen<string[]> Sides = Gen.Int[0, 15].Select(mask => Codes.Where((_, i) => (mask & (1 << i)) != 0).ToArray());

    /// <summary>A cooperative act of any shape: its actor, target and sides drawn from the parties, a third country and the mediator.</summary>
    static readonly Gen<NegotiationEvent> AnyCooperativeAct = Gen.Select(Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 4], Sides,
        (kind, actorAt, targetAt, sides) =>
        {
            NegotiationEvent e = kind switch
            {
                0 => new AgreementSigned { Name = "a", Signatories = sides },
                1 => new PrisonersExchanged { Releases = sides.Select(s => new Release { ReleasedBy = s, Person = "p" + s }).ToArray() },
                2 => new SanctionsEased { Scope = "visa" },
                _ => new AidProvided { AmountUsd = 1 },
            };
            var actor = Codes[actorAt];
            var target = targetAt < Codes.Length ? Codes[targetAt] : null;
            return e with
            {
                EventId = Id(99), OccurredOn = DomainDate.Parse("2019-08-01"), Actor = actor,
                Target = target == actor ? null : target, Confidence = Confidence.Confirmed,
            };
        });

    [Fact]
    public void Any_cooperative_act_moves_the_stage_and_the_ledger_exactly_when_it_counts_for_the_momentum() =>
        AnyCooperativeAct.Sample(act =>
        {
            // Given talks and a TB gesture (US's gesture would complete ConfidenceBuilding), then the act
            var n = OneGestureShort();
            n.Events.Add(act);
            var counts = n.FoldAll().MomentumWeightOf(act) != 0;

            // When folded the day after
            var state = n.At("2019-08-02");

            // Then it is a US gesture (and TB's second) only when the one test of "between the parties" holds
            var asUs = state.Ledger.GesturesByParty[US].Any(g => g.EventId == act.EventId);
            var asTb = state.Ledger.GesturesByParty[TB].Any(g => g.EventId == act.EventId);
            if (!counts) { asUs.ShouldBeFalse(); asTb.ShouldBeFalse(); state.Stage.ShouldBe(Stage.Exploratory); }
            state.Stage.ShouldBe(asUs ? Stage.ConfidenceBuilding : Stage.Exploratory);
            if (act is AgreementSigned) state.Ledger.Agreements.Count.ShouldBe(counts ? 1 : 0);
        }, iter: 300, print: a => StateJson.Of(a));
}
