using CsCheck;
using Normalization.Api.Storage;
using Normalization.Domain.Catalog;

namespace Normalization.Api.Tests.Storage;

/// <summary>The <see cref="TailCache.Tail"/> views: appends share the buffer without changing published views; inserts merge in domain order.</summary>
public sealed class TailCacheTests
{
    static (string Key, NegotiationEvent Event) Item(int k) => ($"{k:D8}|10|x", new StatementIssued { EventId = Guid.NewGuid() });

    [Fact]
    public void Appending_to_a_tail_leaves_the_published_view_as_it_was()
    {
        // Given a published tail of three events
        var a = TailCache.Tail.Of(4, "", [Item(1), Item(2), Item(3)]);
        // When two views are appended from it (the first one's transaction rolled back, the second committed)
        var rolledBack = a.Appended(5, [Item(9)])!;
        var b = a.Appended(5, [Item(4), Item(5)])!;
        // Then the published view still holds its three events, and the second view its own five
        a.After("").Count().ShouldBe(3);
        b.After("").Select(e => e).ShouldBe(a.After("").Concat(b.After("00000003|10|x")));
        b.Count.ShouldBe(5);
        b.After("00000003|10|x").Count().ShouldBe(2);
        rolledBack.Version.ShouldBe(5);
    }

    [Fact]
    public void Inserting_events_anywhere_gives_the_tail_sorted_by_key_and_After_and_Between_skip_the_keys_outside_their_bounds()
    {
        Gen.Select(Gen.Int[1, 10_000].List[0, 60], Gen.Int[1, 10_000].List[1, 8], Gen.Int[0, 10_001]).Sample((held, added, cut) =>
        {
            // Given a tail holding distinct keys after "00000000"
            var heldItems = held.Distinct().Order().Select(Item).ToList();
            var tail = TailCache.Tail.Of(1, "00000000", heldItems);
            var addedItems = added.Distinct().Except(held).Select(Item).ToList();
            // When events are inserted at their places
            var merged = tail.Inserted(2, addedItems);
            // Then the result is every event in key order, the original unchanged, and After(cut) the ones after cut's key
            var all = heldItems.Concat(addedItems).OrderBy(i => i.Key, StringComparer.Ordinal).ToList();
            merged.After("").ShouldBe(all.Select(i => i.Event));
            tail.After("").ShouldBe(heldItems.Select(i => i.Event));
            var cutKey = $"{cut:D8}|10|x";
            merged.After(cutKey).ShouldBe(all.Where(i => string.CompareOrdinal(i.Key, cutKey) > 0).Select(i => i.Event));
            // and Between(cut, cut + 2,000) the ones strictly between the two keys
            var upper = $"{cut + 2_000:D8}|10|x";
            merged.Between(cutKey, upper).ShouldBe(all.Where(i => string.CompareOrdinal(i.Key, cutKey) > 0 && string.CompareOrdinal(i.Key, upper) < 0).Select(i => i.Event));
        });
    }

    [Fact]
    public void Editing_a_tail_takes_out_the_removed_keys_and_merges_the_added_ones_in_key_order()
    {
        Gen.Select(Gen.Int[1, 10_000].List[1, 60], Gen.Int[0, 1000].List[0, 5], Gen.Int[1, 10_000].List[0, 5]).Sample((held, removedPicks, added) =>
        {
            // Given a tail holding distinct keys after "00000000"
            var heldItems = held.Distinct().Order().Select(Item).ToList();
            var tail = TailCache.Tail.Of(1, "00000000", heldItems);
            var removed = removedPicks.Select(p => heldItems[p % heldItems.Count].Key).Distinct().ToList();
            var addedItems = added.Distinct().Except(held).Select(Item).ToList();

            // When it is edited (what a retraction or correction changes)
            var edited = tail.Edited(2, new TailCache.Edit(removed, addedItems));

            // Then it holds the held events but the removed ones, with the added ones at their places; the original unchanged
            edited.ShouldNotBeNull();
            edited.Version.ShouldBe(2);
            edited.After("").ShouldBe(heldItems.Where(i => !removed.Contains(i.Key)).Concat(addedItems).OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => i.Event));
            tail.After("").ShouldBe(heldItems.Select(i => i.Event));
        });
    }

    [Fact]
    public void Editing_a_tail_to_remove_a_key_it_does_not_hold_or_one_at_its_start_gives_no_tail()
    {
        var tail = TailCache.Tail.Of(1, "00000002|10|x", [Item(3), Item(4)]);
        tail.Edited(2, new TailCache.Edit([Item(5).Key], [])).ShouldBeNull();
        tail.Edited(2, new TailCache.Edit([Item(3).Key], [Item(1)])).ShouldBeNull();
        tail.Edited(2, new TailCache.Edit([Item(3).Key], [Item(6)]))!.After("").Count().ShouldBe(2);
    }

    [Fact]
    public void Appending_events_that_sort_among_or_before_the_held_ones_keeps_the_tail_in_key_order()
    {
        Gen.Select(Gen.Int[1, 10_000].List[0, 60], Gen.Int[1, 10_000].List[1, 8], Gen.Int[0, 10_001]).Sample((held, added, cut) =>
        {
            // Given a tail holding distinct keys after "00000000" (as a refold left it, a review's key among them)
            var heldItems = held.Distinct().Order().Select(Item).ToList();
            var tail = TailCache.Tail.Of(1, "00000000", heldItems);
            // When an end append continues it with events in key order that may sort before its last event
            var addedItems = added.Distinct().Except(held).Order().Select(Item).ToList();
            var next = tail.Appended(2, addedItems)!;
            // Then the tail is every event in key order, and After and Between read it right
            var all = heldItems.Concat(addedItems).OrderBy(i => i.Key, StringComparer.Ordinal).ToList();
            next.After("").ShouldBe(all.Select(i => i.Event));
            var cutKey = $"{cut:D8}|10|x";
            var upper = $"{cut + 2_000:D8}|10|x";
            next.Between(cutKey, upper).ShouldBe(all.Where(i => string.CompareOrdinal(i.Key, cutKey) > 0 && string.CompareOrdinal(i.Key, upper) < 0).Select(i => i.Event));
            tail.After("").ShouldBe(heldItems.Select(i => i.Event));
        });
    }

    [Fact]
    public void Appending_an_event_at_or_before_the_tails_start_gives_no_tail()
    {
        // Given a tail that starts after key 5
        var tail = TailCache.Tail.Of(3, "00000005|10|x", [Item(6), Item(9)]);
        // When an append would add an event at key 4
        var next = tail.Appended(4, [Item(4)]);
        // Then the tail cannot hold it
        next.ShouldBeNull();
    }

    [Fact]
    public void A_tail_is_used_only_at_its_version_and_from_a_key_it_covers()
    {
        using var cache = new TailCache();
        var t = TailCache.Tail.Of(7, "00000005", [Item(6), Item(8)]);
        cache.Set("n", t);
        cache.TryGet("n", 7, "00000006").ShouldBe(t);
        cache.TryGet("n", 7, "00000001").ShouldBeNull("it does not hold the events before its start");
        cache.TryGet("n", 8, "00000006").ShouldBeNull("another version of the record");
        cache.Set("n", TailCache.Tail.Of(6, "", []));
        cache.TryGet("n", 7).ShouldBe(t, "an older tail does not replace a newer one");
    }
}
