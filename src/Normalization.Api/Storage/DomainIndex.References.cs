using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using ValidationContext = Normalization.Domain.Validation.ValidationContext;
using Npgsql;

namespace Normalization.Api.Storage;

/// <summary>
/// The ids events may reference (<c>nz_references</c>) and what the stream holds of the ids a write names: the reads a
/// write's validation needs (<see cref="KnownReferences"/>) and the rows a write adds. Split from the index rows
/// (<c>DomainIndex.cs</c>) by job; one static class.
/// </summary>
public static partial class DomainIndex
{
    /// <summary>What the stream holds of the ids a batch names: demand and commitment ids, and the events it retracts or corrects (id, type, retracted).</summary>
    internal sealed record KnownReferences(List<string> Demands, List<string> Commitments, List<(Guid Id, string Type, bool Retracted, DomainDate[] Dates)> Events,
        List<(Guid Retraction, Guid Target)> Retractions, List<LedgerReferences.Reference> Ledger, List<(Guid Id, DateOnly Start)> Starts)
    {
        /// <summary>The batch names a demand or commitment the head leaves out, below its confidence threshold (<see cref="LedgerReferences.NamesUnfolded"/>).</summary>
        public bool NamesUnfolded { get; init; }

        /// <summary>The event each stored correction among <see cref="Events"/> corrects (correction, its target): what an error names instead.</summary>
        public List<(Guid Correction, Guid Target)> Aims { get; } = [];

        /// <summary>
        /// Whether the batch changes what these references cannot judge, so it is judged against the whole record
        /// (<c>ValidationContext.For</c>, as an import is): a retraction of a retraction or of a correction (it puts back an
        /// event, or an earlier version of one, that must fit the record as it is now); a retraction of a DemandMade or an
        /// AgreementSigned the head does not place (closed before the latest it lists: its closings are unknown here); a correction of a DemandMade or an
        /// AgreementSigned (its closings' dates and parties, and the ids other openings hold); a new opening of an id the
        /// record used whose opening the head cannot place (a closed one it no longer lists, or one retracted); any batch naming a
        /// demand or commitment that a ledger event below the head's confidence threshold names (<see cref="NamesUnfolded"/>). Rare: the
        /// usual batch is judged from the index and the head.
        /// </summary>
        public bool NeedWholeRecord(IReadOnlyList<NegotiationEvent> batch)
        {
            if (NamesUnfolded) return true;
            var types = Events.GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.First().Type);
            foreach (var e in batch) types.TryAdd(e.EventId, e.Type);
            bool Placed(bool demand, string id) => Ledger.Any(r => r.Demand == demand && r.Id == id);
            foreach (var e in batch)
                switch (e)
                {
                    case EventRetracted r when types.GetValueOrDefault(r.TargetEventId) is nameof(EventRetracted) or nameof(EventCorrected): return true;
                    // A retraction of an opening the head no longer lists (a demand or agreement closed before its latest
                    // ClosedListed): its closings are not in the ledger references, so only the whole record can refuse it
                    // (still_referenced) — accepted unjudged, the record's own export was refused on import.
                    case EventRetracted r when types.GetValueOrDefault(r.TargetEventId) is nameof(DemandMade) or nameof(AgreementSigned)
                        && !Ledger.Any(x => x.Opening == r.TargetEventId): return true;
                    case EventCorrected { Correction: DemandMade or AgreementSigned }: return true;
                    case DemandMade d when Demands.Contains(d.DemandId) && !Placed(true, d.DemandId): return true;
                    case AgreementSigned a when a.Commitments.Any(c => Commitments.Contains(c.CommitmentId) && !Placed(false, c.CommitmentId)): return true;
                }
            return false;
        }

        /// <summary>Registers them in <paramref name="ctx"/> (as if the stream had been loaded).</summary>
        public ValidationContext ApplyTo(ValidationContext ctx)
        {
            foreach (var d in Demands) ctx.RegisterDemandId(d);
            foreach (var c in Commitments) ctx.RegisterCommitmentId(c);
            foreach (var (id, type, retracted, dates) in Events) ctx.RegisterKnownEvent(id, type, retracted, dates);
            foreach (var (retraction, target) in Retractions) ctx.RegisterRetraction(retraction, target);
            foreach (var (correction, target) in Aims) ctx.RegisterAim(correction, target);
            foreach (var (eventId, start) in Starts) ctx.RegisterStoredStart(eventId, start);
            foreach (var r in Ledger)
                if (r.Demand) ctx.RegisterDemand(r.Id, r.Opening, r.By, r.Of, r.Closings);
                else ctx.RegisterCommitment(r.Id, r.Opening, r.By, r.Closings);
            return ctx;
        }
    }

    /// <summary>
    /// Registers in <paramref name="ctx"/> what the stream holds of the ids <paramref name="events"/> name, and — with
    /// <paramref name="head"/>, the fold at the end of the record — of the demands and commitments they close or whose
    /// openings they retract or correct (<see cref="LedgerReferences"/>).
    /// </summary>
    internal static async Task<KnownReferences> RegisterReferencesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, List<NegotiationEvent> events, ValidationContext ctx,
        CancellationToken ct, FoldAccumulator? head = null)
    {
        var known = head is null ? await ReferencesOfAsync(conn, tx, id, events, ct) : await StoredReferencesAsync(conn, tx, id, events, head, ct);
        known.ApplyTo(ctx);
        return known;
    }

    /// <summary>
    /// What the store knows to judge <paramref name="events"/> against the record whose fold at its end is
    /// <paramref name="head"/>: the ids they name (<see cref="ReferencesOfAsync"/>) and the demands and commitments they close,
    /// retract or correct (<see cref="LedgerReferences"/>). The one reading behind both a write (NegotiationStore.AppendAsync)
    /// and a what-if's hypothetical events (NegotiationStore.CheckpointBranchAsync), so the same event gets the same answer.
    /// </summary>
    internal static async Task<KnownReferences> StoredReferencesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, List<NegotiationEvent> events,
        FoldAccumulator head, CancellationToken ct) =>
        await ReferencesOfAsync(conn, tx, id, events, ct, LedgerReferences.Of(head, events)) with { NamesUnfolded = LedgerReferences.NamesUnfolded(head, events) };

    /// <summary>
    /// The stream's ids among those <paramref name="events"/> name, read from the index (work grows with the batch, not the
    /// history); with <paramref name="ledger"/>, the dates and statuses of those references' openings too.
    /// </summary>
    internal static async Task<KnownReferences> ReferencesOfAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, List<NegotiationEvent> events, CancellationToken ct,
        List<LedgerReferences.Reference>? ledger = null)
    {
        var known = new KnownReferences([], [], [], [], ledger ?? [], []);
        // Only the ids this batch names (made, resolved, signed or closed): the work grows with the batch, not with the history.
        var named = events.Select(e => e is EventCorrected { Correction: { } c } ? c : e).ToList();
        var demands = named.Select(e => e switch
        {
            DemandMade d => d.DemandId, DemandMet m => m.DemandId, DemandRefused r => r.DemandId, DemandWithdrawn w => w.DemandId, _ => null,
        }).OfType<string>().Distinct().ToArray();
        var commitments = named.SelectMany(e => e switch
        {
            AgreementSigned a => a.Commitments.Select(c => c.CommitmentId),
            CommitmentFulfilled f => [f.CommitmentId],
            CommitmentBreached b => [b.CommitmentId],
            _ => [],
        }).Distinct().ToArray();
        if (demands.Length + commitments.Length > 0)
        {
            await using var cmd = new NpgsqlCommand("""
            select kind, ref_id from nz_references where negotiation_id = @id
              and ((kind = 'demand' and ref_id = any(@demands)) or (kind = 'commitment' and ref_id = any(@commitments)))
            """, conn, tx);
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("demands", demands);
            cmd.Parameters.AddWithValue("commitments", commitments);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                if (r.GetString(0) == "demand") known.Demands.Add(r.GetString(1)); else known.Commitments.Add(r.GetString(1));
        }
        var targets = events.Select(e => e switch { EventRetracted x => x.TargetEventId, EventCorrected x => x.TargetEventId, _ => Guid.Empty })
            .Concat(known.Ledger.Select(r => r.Opening ?? Guid.Empty))
            .Where(g => g != Guid.Empty).Distinct().ToArray();
        if (targets.Length == 0) return known;
        // Each target with its date and the years of its corrections (a corrected version may be dated earlier): a retraction
        // is judged against the earliest (EventValidator). A correction's row keeps the corrected version's domain date (its
        // last day) but not its precision, so its year's first day stands for its start: never later than the true start.
        // The corrections are found through ix_nz_events_target, in the same round trip. So are the retractions aimed at each
        // target and, down the chain, at those retractions (a recursive walk of the same index): the validator then decides
        // "already retracted" by the record's rule, so a batch that retracts a retraction and then its target again reads as
        // those requests one at a time do (and an exported record imports).
        await using var q = new NpgsqlCommand("""
            with recursive chain(event_id, target_event_id) as (
                select x, null::uuid from unnest(@ids) as x
                union
                select r.event_id, r.target_event_id from nz_events r join chain on r.target_event_id = chain.event_id
                where r.negotiation_id = @id and r.role = @retraction
            )
            select e.event_id, e.type, e.status, e.occurred_on,
                   coalesce((select array_agg(extract(year from c.domain_date)::int) from nz_events c
                             where c.negotiation_id = e.negotiation_id and c.target_event_id = e.event_id and c.role = @correction), '{}'),
                   chain.target_event_id,
                   (select extract(year from c.domain_date)::int from nz_events c
                     where c.negotiation_id = e.negotiation_id and c.target_event_id = e.event_id and c.role = @correction and c.status = 'active' limit 1),
                   case when e.role = @correction then e.target_event_id end
            from chain join nz_events e on e.negotiation_id = @id and e.event_id = chain.event_id
            """, conn, tx);
        q.Parameters.AddWithValue("id", id);
        q.Parameters.AddWithValue("ids", targets);
        q.Parameters.AddWithValue("retraction", (short)EventRole.Retraction);
        q.Parameters.AddWithValue("correction", (short)EventRole.Correction);
        await using var rr = await q.ExecuteReaderAsync(ct);
        while (await rr.ReadAsync(ct))
        {
            var dates = rr.GetFieldValue<int[]>(4).Select(year => new DomainDate(year)).ToList();
            if (DomainDate.TryParse(rr.GetString(3), out var own)) dates.Add(own);
            // The index keeps the name the event was written under: a renamed type reads as its current name (EventUpcasters).
            known.Events.Add((rr.GetGuid(0), EventUpcasters.CurrentName(rr.GetString(1)), StatusFromDb(rr.GetString(2)) == IndexStatus.Retracted, dates.ToArray()));
            if (!rr.IsDBNull(5)) known.Retractions.Add((rr.GetGuid(0), rr.GetGuid(5)));
            if (!rr.IsDBNull(7)) known.Aims.Add((rr.GetGuid(0), rr.GetGuid(7)));
            // The version in force starts on its own date's first day, or — corrected — on its correction's year's first day
            // (all the index keeps of a corrected version's date; the validator judges a batch or a file's versions alike).
            if (!rr.IsDBNull(6)) known.Starts.Add((rr.GetGuid(0), new DateOnly(rr.GetInt32(6), 1, 1)));
            else if (DomainDate.TryParse(rr.GetString(3), out var start)) known.Starts.Add((rr.GetGuid(0), start.Start));
        }
        return known;
    }

    /// <summary>The demand and commitment ids the events introduce (kind, id).</summary>
    internal static IEnumerable<(string Kind, string Id)> References(IEnumerable<NegotiationEvent> events) => events.SelectMany(e => e switch
        {
            DemandMade d => [("demand", d.DemandId)],
            AgreementSigned a => a.Commitments.Select(c => ("commitment", c.CommitmentId)),
            EventCorrected { Correction: DemandMade d } => [("demand", d.DemandId)],
            EventCorrected { Correction: AgreementSigned a } => a.Commitments.Select(c => ("commitment", c.CommitmentId)),
            _ => [],
        }).Distinct();

    internal static async Task InsertReferencesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, IReadOnlyList<NegotiationEvent> events, CancellationToken ct)
    {
        var refs = References(events).ToList();
        if (refs.Count > 0)
        {
            await using var cmd = new NpgsqlCommand("insert into nz_references select @id, * from unnest(@kinds, @refs) on conflict do nothing", conn, tx);
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("kinds", refs.Select(r => r.Item1).ToArray());
            cmd.Parameters.AddWithValue("refs", refs.Select(r => r.Item2).ToArray());
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    internal static async Task<bool> ReferencesMatchAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, List<NegotiationEvent> events, CancellationToken ct)
    {
        var expected = References(events).ToHashSet();
        var stored = new HashSet<(string, string)>();
        await using var cmd = new NpgsqlCommand("select kind, ref_id from nz_references where negotiation_id = @id", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) stored.Add((r.GetString(0), r.GetString(1)));
        return stored.SetEquals(expected);
    }
}
