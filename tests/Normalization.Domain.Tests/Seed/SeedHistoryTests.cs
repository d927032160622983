using Normalization.Domain.Folding;
using Normalization.Domain.Histories;
using Normalization.Domain.Stages;

namespace Normalization.Domain.Tests.Seed;

/// <summary>The shipped US–Taliban history, folded at the dates an analyst would ask about.</summary>
public class SeedHistoryTests
{
    static readonly DateOnly Today = new(2026, 1, 1);

    static (Negotiations.NegotiationOpened, List<Catalog.NegotiationEvent>) Seed()
    {
        using var reader = File.OpenText(Path.Combine(AppContext.BaseDirectory, "Seed", "us-taliban.ndjson"));
        var (opening, events, errors) = NdjsonHistory.ReadAll(reader, Today);
        errors.ShouldBeEmpty();
        return (opening!, events);
    }

    [Theory]
    [InlineData("2019-12-31", Stage.Estrangement, "no-contact")]
    [InlineData("2020-03-01", Stage.ConfidenceBuilding, "talks-and-mutual-gestures")]
    [InlineData("2021-09-01", Stage.Estrangement, "no-contact")]
    [InlineData("2025-02-01", Stage.Estrangement, "no-contact")]
    [InlineData("2025-04-15", Stage.ConfidenceBuilding, "talks-and-mutual-gestures")]
    public void Given_the_seed_history_When_folded_as_of_a_key_date_Then_the_stage_and_rule_are_those_expected(string asOf, Stage stage, string rule)
    {
        var (opening, events) = Seed();

        var state = NegotiationFold.StateAsOf(opening, events, DateOnly.Parse(asOf));

        state.Stage.ShouldBe(stage);
        state.Why.Rule.ShouldBe(rule);
    }
}
