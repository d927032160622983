using System.Globalization;
using Normalization.Domain.Folding;
using Normalization.Domain.Ledger;
using Normalization.Domain.Stages;

namespace Normalization.Domain.WhatIf;

/// <summary>A stage transition present in one branch and not in the other (compared by On, From, To and Rule).</summary>
/// <param name="On">The day of the transition (null: the baseline's stage).</param>
/// <param name="From">The stage before.</param>
/// <param name="To">The stage after.</param>
/// <param name="Rule">The rule id.</param>
/// <param name="Description">The rule in a sentence.</param>
/// <param name="EventIds">The events behind it.</param>
/// <param name="Hypothetical">Whether it rests on a hypothetical event.</param>
public sealed record TransitionChange(DateOnly? On, Stage? From, Stage To, string Rule, string Description, IReadOnlyList<Guid> EventIds, bool Hypothetical);

/// <summary>
/// One ledger entry that differs: <c>Kind</c> (demand, request, office, recognition, relations, commitment, gesture,
/// prisoner, reward, sanction, designation, agreement, frozen-assets, third-party-recognition), a readable
/// <c>Key</c>, and its value <c>Before</c> (baseline) and <c>After</c> (branch); null means absent.
/// </summary>
/// <param name="Kind">The kind of entry, e.g. <c>demand</c>.</param>
/// <param name="Key">A readable key of the entry, e.g. the demand id, <c>US→VN LiaisonOffice Hanoi</c>, a baseline sanction's scope.</param>
/// <param name="Before">Its value in the baseline; null: absent.</param>
/// <param name="After">Its value in the branch; null: absent.</param>
/// <param name="EventIds">The events behind it on either side.</param>
/// <param name="Hypothetical">Whether it rests on a hypothetical change.</param>
public sealed record LedgerChange(string Kind, string Key, string? Before, string? After, IReadOnlyList<Guid> EventIds, bool Hypothetical);

/// <summary>The momentum, baseline → branch.</summary>
/// <param name="Before">The baseline's score.</param>
/// <param name="After">The branch's score.</param>
/// <param name="Delta">After − Before.</param>
/// <param name="TrendBefore">The baseline's trend.</param>
/// <param name="TrendAfter">The branch's trend.</param>
public sealed record MomentumDelta(double Before, double After, double Delta, MomentumTrend TrendBefore, MomentumTrend TrendAfter);

/// <summary>What the changes did, baseline → branch.</summary>
/// <param name="StageBefore">The baseline's stage.</param>
/// <param name="StageAfter">The branch's stage.</param>
/// <param name="StageSinceBefore">Since when, in the baseline.</param>
/// <param name="StageSinceAfter">Since when, in the branch.</param>
/// <param name="TransitionsAppeared">Stage transitions of the branch the baseline does not have.</param>
/// <param name="TransitionsVanished">Stage transitions of the baseline the branch does not have.</param>
/// <param name="LedgerChanges">Ledger entries that differ.</param>
/// <param name="Momentum">The momentum, before and after.</param>
public sealed record Comparison(
    Stage StageBefore, Stage StageAfter, DateOnly? StageSinceBefore, DateOnly? StageSinceAfter,
    IReadOnlyList<TransitionChange> TransitionsAppeared, IReadOnlyList<TransitionChange> TransitionsVanished,
    IReadOnlyList<LedgerChange> LedgerChanges, MomentumDelta Momentum)
{
    /// <summary>Whether the stage or its start differs.</summary>
    public bool StageChanged => StageBefore != StageAfter || StageSinceBefore != StageSinceAfter;

    /// <summary>The ledger changes of one kind, e.g. <c>Ledger("demand")</c>.</summary>
    public IEnumerable<LedgerChange> Ledger(string kind) => LedgerChanges.Where(c => c.Kind == kind);

    /// <summary>The stage transitions and ledger entries that differ between <paramref name="baseline"/> and <paramref name="projected"/>.</summary>
    /// <param name="baseline">The record's state.</param>
    /// <param name="projected">The branch's state.</param>
    /// <param name="hypothetical">The hypothetical events' ids: a change listing one is hypothetical.</param>
    /// <param name="aimedAt">Event ids → the hypothetical retractions or corrections that reach them (a correction's
    /// replacement keeps the id of the event it corrects): a change resting on such an event lists them too and is hypothetical.</param>
    public static Comparison Between(NegotiationState baseline, NegotiationState projected, IReadOnlySet<Guid> hypothetical,
        IReadOnlyDictionary<Guid, List<Guid>>? aimedAt = null)
    {
        static (DateOnly?, Stage?, Stage, string) Key(StageTransition t) => (t.On, t.From, t.To, t.Rule);
        IReadOnlyList<Guid> WithAiming(IReadOnlyList<Guid> ids) =>
            aimedAt is null || aimedAt.Count == 0 ? ids : [.. ids, .. ids.SelectMany(i => aimedAt.GetValueOrDefault(i) ?? []).Where(h => !ids.Contains(h)).Distinct()];
        TransitionChange Change(StageTransition t)
        {
            var ids = WithAiming(t.EventIds);
            return new(t.On, t.From, t.To, t.Rule, t.Description, ids, ids.Any(hypothetical.Contains));
        }
        var before = baseline.StageHistory.Select(Key).ToHashSet();
        var after = projected.StageHistory.Select(Key).ToHashSet();
        return new Comparison(
            baseline.Stage, projected.Stage, baseline.StageSince, projected.StageSince,
            projected.StageHistory.Where(t => !before.Contains(Key(t))).Select(Change).ToList(),
            baseline.StageHistory.Where(t => !after.Contains(Key(t))).Select(Change).ToList(),
            LedgerDiff(baseline.Ledger, projected.Ledger, hypothetical, WithAiming),
            new MomentumDelta(baseline.Momentum.Score, projected.Momentum.Score,
                Math.Round(projected.Momentum.Score - baseline.Momentum.Score, 1), baseline.Momentum.Trend, projected.Momentum.Trend));
    }

    /// <summary>Reference equality for entries (records compare by value, which may hide a different decimal scale, so not that).</summary>
    sealed class ReferenceComparer<T> : IEqualityComparer<T>
    {
        public static readonly ReferenceComparer<T> Instance = new();
        public bool Equals(T? x, T? y) => ReferenceEquals(x, y);
        public int GetHashCode(T obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj!);
    }

    static string D(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "baseline";

    /// <summary>
    /// " since D" for a standing fact's value (a sanction, designation, reward, recognition, relations), nothing for a baseline
    /// fact (no date): a what-if that only moves when the fact began — EO 13810 imposed in August instead of September —
    /// changes the entry, and the comparison lists it, as an office's "open since D" always did.
    /// </summary>
    static string Since(DateOnly? d) => d is null ? "" : " since " + D(d);
    static IReadOnlyList<Guid> Ids(Guid? id) => id is { } g ? [g] : [];

    static List<LedgerChange> LedgerDiff(LedgerView b, LedgerView a, IReadOnlySet<Guid> hypothetical, Func<IReadOnlyList<Guid>, IReadOnlyList<Guid>> withAiming)
    {
        var changes = new List<LedgerChange>();
        void Diff<T>(string kind, IEnumerable<T> before, IEnumerable<T> after, Func<T, string> key, Func<T, string> value, Func<T, IReadOnlyList<Guid>> ids)
        {
            // The same entries (by reference) in the same order on both sides give the same key, value and ids, so no
            // change: a branch from the head shares the head's entries (a clone copies the lists, not the immutable
            // entries), and most kinds are untouched by a few changes. Skipping them avoids formatting and grouping the
            // whole ledger twice (4.5 MB and most of a what-if's CPU at 1,000,000 events: docs/benchmarks.md section 7).
            if (typeof(T).IsClass && before.SequenceEqual(after, ReferenceComparer<T>.Instance)) return;
            static Dictionary<string, (string Value, List<Guid> Ids)> Index(IEnumerable<T> items, Func<T, string> key, Func<T, string> value, Func<T, IReadOnlyList<Guid>> ids) =>
                items.GroupBy(key).ToDictionary(g => g.Key, g => (string.Join("; ", g.Select(value)), g.SelectMany(ids).Distinct().ToList()));
            var bi = Index(before, key, value, ids);
            var ai = Index(after, key, value, ids);
            foreach (var k in bi.Keys.Union(ai.Keys))
            {
                var had = bi.TryGetValue(k, out var x);
                var has = ai.TryGetValue(k, out var y);
                if (had && has && x.Value == y.Value) continue;
                var eventIds = withAiming((has ? y.Ids : []).Union(had ? x.Ids : []).ToList());
                changes.Add(new LedgerChange(kind, k, had ? x.Value : null, has ? y.Value : null, eventIds, eventIds.Any(hypothetical.Contains)));
            }
        }

        Diff("demand", b.Demands, a.Demands, d => d.DemandId, d => d.Status.ToString(), d => d.EventIds);
        Diff("request", b.Requests, a.Requests, r => $"{r.Kind} {r.By}→{r.Of} {D(r.RequestedOn)}", r => r.Status.ToString(), r => r.EventIds);
        Diff("office", b.Offices, a.Offices, o => $"{o.Sender}→{o.Host} {o.OfficeKind}{(o.City is null ? "" : " " + o.City)}", o => "open since " + D(o.Since), o => Ids(o.EventId));
        Diff("recognition", b.Recognition, a.Recognition, r => $"{r.By}→{r.Of}", r => r.Form + Since(r.Since), r => Ids(r.EventId));
        Diff("relations", [b.Relations], [a.Relations], _ => "relations", r => r.Status + Since(r.Since), r => Ids(r.EventId));
        Diff("commitment", b.Commitments, a.Commitments, c => c.CommitmentId, c => c.Status.ToString(), c => c.EventIds);
        Diff("gesture", b.GesturesByParty.Values.SelectMany(g => g), a.GesturesByParty.Values.SelectMany(g => g),
            g => $"{g.Party} {g.Type} {D(g.On)}", _ => "given", g => [g.EventId]);
        Diff("prisoner", b.PrisonersReleasedByParty.Values.SelectMany(p => p), a.PrisonersReleasedByParty.Values.SelectMany(p => p),
            p => $"{p.ReleasedBy} {p.Person}", p => "released " + D(p.On), p => [p.EventId]);
        Diff("reward", b.Rewards, a.Rewards, r => $"{r.By} {r.Person}", r => (r.AmountUsd is { } amount ? $"offered {amount} USD" : "offered") + Since(r.Since), r => [r.EventId]);
        // A baseline sanction has no "by" (docs/stage-model.md, "The ledger"): its key is its scope alone.
        Diff("sanction", b.Sanctions, a.Sanctions, s => s.By is null ? s.Scope : $"{s.By} {s.Scope}", s => "imposed" + Since(s.Since), s => Ids(s.EventId));
        Diff("designation", b.Designations, a.Designations, d => $"{d.By} {d.Designee} {d.List}", d => "listed" + Since(d.Since), d => Ids(d.EventId));
        Diff("agreement", b.Agreements, a.Agreements, g => g.Name, g => "signed " + D(g.SignedOn), g => [g.EventId]);
        Diff("frozen-assets", b.FrozenAssetsUsdByParty, a.FrozenAssetsUsdByParty, f => f.Key, f => f.Value.ToString(CultureInfo.InvariantCulture) + " USD", _ => []);
        Diff("third-party-recognition", b.ThirdPartyRecognitions, a.ThirdPartyRecognitions, t => $"{t.By}→{t.Of}", t => t.Form + Since(t.On), t => [t.EventId]);
        return changes;
    }
}
