using System.Collections;
using System.Reflection;
using System.Text.Json;
using CsCheck;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Tests.Support;

namespace Normalization.Domain.Tests.Folding;

/// <summary>
/// <see cref="FoldAccumulator.Clone"/> is what lets the store keep a negotiation's head in memory and fold an append into
/// a copy: the copy must continue exactly like the original, and folding into it must leave the original untouched.
/// </summary>
public class CloneTests
{
    static readonly DateOnly End = new(2026, 6, 30);
    static string Json(FoldAccumulator acc) => JsonSerializer.Serialize(acc, EventJson.Options);

    [Fact]
    public void Folding_the_rest_into_a_clone_equals_folding_everything_and_leaves_the_original_as_it_was() =>
        Gen.Select(RandomHistory.Events, Gen.Int[0, 40]).Sample((events, split) =>
        {
            // Given an accumulator that has folded a prefix of a random history
            var effective = NegotiationFold.Effective(events).ToList();
            var prefix = FoldAccumulator.Start(RandomHistory.Opening);
            foreach (var e in effective.Take(split)) prefix.Apply(e);
            var before = Json(prefix);

            // When the rest is folded into its clone
            var clone = prefix.Clone();
            foreach (var e in effective.Skip(split)) clone.Apply(e);

            // Then the clone is the fold of everything, and the original did not move
            Json(clone).ShouldBe(Json(NegotiationFold.FoldAll(RandomHistory.Opening, events)));
            StateJson.Comparable(clone.StateAt(End)).ShouldBe(StateJson.Comparable(NegotiationFold.StateAsOf(RandomHistory.Opening, events, End)));
            Json(prefix).ShouldBe(before);
        }, iter: 200, print: t => RandomHistory.Print(t.Item1));

    [Fact]
    public void Every_collection_of_the_accumulator_is_copied_and_every_entry_it_shares_is_immutable()
    {
        // Given an accumulator with every list and dictionary in use
        var acc = FoldAccumulator.Start(RandomHistory.Opening);

        // When it is cloned
        var clone = acc.Clone();

        // Then no list or dictionary is shared (a field added later is covered without editing Clone) …
        var collections = typeof(FoldAccumulator).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => typeof(IEnumerable).IsAssignableFrom(p.PropertyType) && p.PropertyType != typeof(string)).ToList();
        collections.ShouldNotBeEmpty();
        foreach (var p in collections)
            ReferenceEquals(p.GetValue(acc), p.GetValue(clone)).ShouldBeFalse($"{p.Name} is shared between an accumulator and its clone");

        // … and what they hold, and every other property, cannot be changed in place (records with init-only members).
        var shared = typeof(FoldAccumulator).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .SelectMany(p => p.PropertyType.IsGenericType ? p.PropertyType.GetGenericArguments() : [p.PropertyType])
            .Select(t => Nullable.GetUnderlyingType(t) ?? t)
            .Where(t => !t.IsPrimitive && !t.IsEnum && t != typeof(string) && t != typeof(decimal) && t != typeof(DateOnly) && t != typeof(Guid))
            .Where(t => t != typeof(FoldAccumulator) && !t.IsGenericType)
            .Distinct().ToList();
        shared.ShouldNotBeEmpty();
        foreach (var t in shared)
            foreach (var setter in t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
                setter.SetMethod!.ReturnParameter.GetRequiredCustomModifiers().ShouldContain(typeof(System.Runtime.CompilerServices.IsExternalInit),
                    $"{t.Name}.{setter.Name} can be set after construction, so a clone sharing it could be changed through the original");
    }
}
