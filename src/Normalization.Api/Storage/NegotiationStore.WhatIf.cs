using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Validation;
using Normalization.Domain.WhatIf;
using Npgsql;
using static Normalization.Api.Storage.DomainIndex;
using static Normalization.Api.Storage.FoldCheckpoints;

namespace Normalization.Api.Storage;

/// <summary>
/// What-if from a checkpoint (issue 17, part 2): the branch and its baseline start at the fold checkpoint before the
/// earliest position the changes touch — the head itself when they all come after the last folded event — so a what-if
/// costs the events after that position, not the whole record.
/// </summary>
public sealed partial class NegotiationStore
{
    /// <summary>
    /// The branch of <paramref name="id"/>'s current record for a what-if whose recorded events stop at
    /// <paramref name="cut"/> (its branch point) and whose changes are <paramref name="hypothetical"/> events and
    /// <paramref name="removed"/> recorded ones (a replacement is both) — starting from the checkpoint before the earliest of:
    /// the end of <paramref name="cut"/>, each hypothetical event's day and rank, each removed event, and each event a
    /// hypothetical retraction or correction aims at. Null — the caller folds the whole record instead — when the stream is
    /// not a negotiation, or when a change names a recorded event that is not a catalog event in force, or removes one that
    /// introduces a demand or commitment (their ids are known to validation from the index, not from the kept events), or when
    /// a hypothetical event is one a write judges on the whole record (<c>KnownReferences.NeedWholeRecord</c>).
    /// </summary>
    public async Task<Branch?> CheckpointBranchAsync(string id, IReadOnlyList<NegotiationEvent> hypothetical, IReadOnlyCollection<Guid> removed, DateOnly cut,
        CancellationToken ct = default)
    {
        using var span = Telemetry.TelemetrySetup.Source.StartActivity("what-if-branch");
        span?.SetTag("negotiation.id", id);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);

        // The index rows of every recorded event the changes name: removed, replaced, retracted or corrected.
        var targets = hypothetical.Select(e => e switch { EventRetracted r => r.TargetEventId, EventCorrected c => c.TargetEventId, _ => Guid.Empty })
            .Where(g => g != Guid.Empty).ToList();
        var named = removed.Concat(targets).Concat(hypothetical.Select(e => e.EventId).Where(g => g != Guid.Empty)).Distinct().ToArray();
        var rows = new Dictionary<Guid, (string Type, EventRole Role, IndexStatus Status, string Key)>();
        // With it, in the same round trip: the date of the last recorded event in force (the branch's default projection date).
        DateOnly? lastRecorded = null;
        await using (var cmd = new NpgsqlCommand("""
            select event_id, type, role, status, sort_key from nz_events where negotiation_id = @id and event_id = any(@ids);
            select domain_date from nz_events where negotiation_id = @id and status = 'active' and role <> 1 order by sort_key desc limit 1
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("ids", named);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) rows[r.GetGuid(0)] = (EventUpcasters.CurrentName(r.GetString(1)), (EventRole)r.GetInt16(2), StatusFromDb(r.GetString(3)), r.GetString(4));
            await r.NextResultAsync(ct);
            if (await r.ReadAsync(ct)) lastRecorded = r.GetFieldValue<DateOnly>(0);
        }
        if (hypothetical.Any(e => e is RecordReviewed or EventCorrected { Correction: RecordReviewed })) return null;
        var keys = new List<string> { DomainOrder.EndOfDayKey(cut) };
        foreach (var g in removed.Concat(targets))
        {
            if (!rows.TryGetValue(g, out var row)) continue; // unknown: the branch reports it, as over the whole record
            if (row.Role != EventRole.Event || row.Status != IndexStatus.Active) return null;
            // A review holds at every date: a change of one changes the coverage of every date, which the whole record answers.
            if (row.Type is nameof(RecordReviewed)) return null;
            if (removed.Contains(g) && row.Type is nameof(DemandMade) or nameof(AgreementSigned)) return null;
            keys.Add(row.Key);
        }
        // A hypothetical event's id may still be drawn (Branch.Add gives an empty one a new GUID): the smallest key of its day and rank.
        foreach (var e in hypothetical.Select(e => e is EventCorrected { Correction: { } c } ? c : e))
            keys.Add(DomainOrder.SortKey(e.Date, EventCatalog.Of(e).SameDayRank, Guid.Empty));
        var earliest = keys.Min(StringComparer.Ordinal)!;

        // The head is the latest checkpoint of all: when every change comes after the last folded event (news posted
        // today, "what if the office opens next month"), the branch starts from it and folds nothing recorded.
        int version;
        await using (var session = ReadSession(tx))
            if (await session.Events.FetchStreamStateAsync(id, ct) is { } state) version = (int)state.Version; else return null;
        var head = await HeadAsync(conn, tx, id, version, ct);
        if (head is null) return null;
        var opening = head.Negotiation;
        var (checkpoint, fromKey) = head.LastSortKey is { } last && string.CompareOrdinal(last, earliest) < 0
            ? (head, last)
            : await CheckpointBeforeAsync(conn, tx, id, opening, earliest, ct);
        var after = new List<NegotiationEvent>();
        // From the head with no recorded event named (only additions): the events after its last folded one are ones the
        // fold skips (below the confidence threshold) or reviews it already holds, so none is read — the branch's last
        // recorded date comes from the index below. A removal or a target may name such an event: then they are read.
        var fromHead = ReferenceEquals(checkpoint, head) && removed.Count == 0 && targets.Count == 0;
        var endKey = DomainOrder.EndOfDayKey(cut);
        if (fromHead) { }
        else if (tails.TryGet(id, version, fromKey) is { } tail) after.AddRange(tail.Between(fromKey, endKey)); // a record refolded here lately: from memory
        else
        {
            var read = new List<(string, NegotiationEvent)>();
            await foreach (var x in KeyedEffectiveEventsAsync(conn, tx, id, fromKey, endKey, ct)) read.Add(x);
            after.AddRange(read.Select(x => x.Item2));
            // Read to the end of the record (a branch as of today): kept as the record's tail for the next what-if or late event.
            if (lastRecorded is not { } lastDay || cut >= lastDay) tails.Set(id, TailCache.Tail.Of(version, fromKey, read));
        }
        // Judged as a write of the same events is (the head's ledger references included): a closing of a demand whose
        // DemandMade is after the branch point, or before the checkpoint, is judged against it (before_reference, wrong_party).
        var known = await StoredReferencesAsync(conn, tx, id, hypothetical.ToList(), head, ct);
        // What the index and the head cannot judge, a write judges on the whole record (KnownReferences.NeedWholeRecord): so
        // does the what-if, by folding the whole record — the same answer as a POST of the same events.
        if (known.NeedWholeRecord(hypothetical)) return null;
        var today = Today;
        // When the branch runs from its checkpoint to the end of the record (from the head, or a branch point on or after
        // the last recorded day), the checkpoint plus the events after it is the head: the baseline is the head's state on
        // the projection date, kept with the head in the cache (built once per version and date), not a second fold.
        var toTheEnd = fromHead || lastRecorded is not { } endDay || cut >= endDay;
        Func<DateOnly, NegotiationState>? stateOfRecord = toTheEnd ? at => heads.StateAt(id, version, head, at) : null;
        // The record's coverage, as the head holds it: a review dated after the branch point still says how far the record reaches.
        return Branch.FromCheckpoint(opening, checkpoint!, after, () => known.ApplyTo(new ValidationContext(opening, today)), rows.Keys.ToHashSet(), lastRecorded,
            stateOfRecord, (head.CoverageKey, head.CoveredUntil));
    }
}
