using Normalization.Domain.Folding;
using Normalization.Domain.Tests.Support;

namespace Normalization.Domain.Tests.Ledger;

/// <summary>Long histories keep checkpoints small: gesture and release lists hold the most recent entries, counts hold all.</summary>
public class BoundedLedgerTests
{
    [Fact]
    public void Given_more_gestures_than_the_list_keeps_When_folded_Then_the_most_recent_are_listed_and_all_are_counted()
    {
        var given = Given.Negotiation();
        var day = new DateOnly(2000, 1, 1);
        for (var i = 0; i < FoldAccumulator.RecentPerParty + 50; i++)
            given.HasGesture(Given.US, day.AddDays(i).ToString("yyyy-MM-dd"));

        var state = given.At("2010-01-01");

        state.Ledger.GestureCountByParty[Given.US].ShouldBe(FoldAccumulator.RecentPerParty + 50);
        var listed = state.Ledger.GesturesByParty[Given.US];
        listed.Count.ShouldBe(FoldAccumulator.RecentPerParty);
        listed[^1].On.ShouldBe(day.AddDays(FoldAccumulator.RecentPerParty + 49));
        listed[0].On.ShouldBe(day.AddDays(50));
    }
}
