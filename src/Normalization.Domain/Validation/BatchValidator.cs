using Normalization.Domain.Catalog;

namespace Normalization.Domain.Validation;

/// <summary>
/// Validates a batch (or a whole file) as one whole: the order of a list is not domain order, so a closing listed before
/// the DemandMade (AgreementSigned) it closes, later in the same batch or file, is held back rather than refused, and judged
/// again once that opening is accepted — as if it had been listed after it. A closing whose opening never comes is refused
/// (<c>unknown_reference</c>) by <see cref="Finish"/>. Everything else is judged in list order, event by event
/// (<see cref="EventValidator.Validate"/>), as one request at a time would be.
/// </summary>
public sealed class BatchValidator(ValidationContext ctx)
{
    // Closings waiting for their opening, by the demand or commitment they close (few, usually none: retries cost nothing then).
    readonly Dictionary<(bool, string), List<(NegotiationEvent Event, string Path, int Tag)>> _pending = new();

    /// <summary>The context the batch is judged in (it registers every accepted event).</summary>
    public ValidationContext Context => ctx;

    /// <summary>
    /// Validates <paramref name="e"/> (at <paramref name="path"/>; <paramref name="tag"/> goes back with its errors, e.g. a line
    /// number). Its errors, and those of held closings it settles, are added to <paramref name="errors"/>; a closing whose
    /// demand or commitment is not opened yet is held, with no error for now. False when it is refused or held.
    /// </summary>
    public bool Validate(NegotiationEvent e, string path, int tag, List<(int Tag, FieldError Error)> errors)
    {
        var mine = new List<FieldError>();
        if (EventValidator.Validate(e, path, ctx, mine))
        {
            if (_pending.Count > 0) Settle(e, errors);
            return true;
        }
        if (ClosedKey(e) is { } key && mine.Any(x => x.Code == "unknown_reference" && x.Path == EventReader.Join(path, key.Item1 ? "demandId" : "commitmentId")))
        {
            if (!_pending.TryGetValue(key, out var list)) _pending[key] = list = [];
            list.Add((e, path, tag));
            return false;
        }
        errors.AddRange(mine.Select(m => (tag, m)));
        return false;
    }

    /// <summary>Judges the closings still held (their opening never came): their errors are added to <paramref name="errors"/>.</summary>
    public void Finish(List<(int Tag, FieldError Error)> errors)
    {
        foreach (var (_, list) in _pending)
            foreach (var (e, path, tag) in list)
            {
                var mine = new List<FieldError>();
                EventValidator.Validate(e, path, ctx, mine);
                errors.AddRange(mine.Select(m => (tag, m)));
            }
        _pending.Clear();
    }

    /// <summary>The held closings of what <paramref name="accepted"/> may have opened (or put back) are judged again.</summary>
    void Settle(NegotiationEvent accepted, List<(int Tag, FieldError Error)> errors)
    {
        var opened = accepted switch
        {
            EventCorrected { Correction: { } c } => OpenedKeys(c),
            EventRetracted r => ctx.RootOf(r.TargetEventId) is { } root && ctx.Effective(root) is { } v ? v.Items.Where(i => i.Opens).Select(i => i.Key) : [],
            _ => OpenedKeys(accepted),
        };
        foreach (var key in opened.ToList())
        {
            if (!_pending.Remove(key, out var list)) continue;
            foreach (var (e, path, tag) in list)
            {
                var mine = new List<FieldError>();
                if (EventValidator.Validate(e, path, ctx, mine)) continue;
                if (mine.Any(x => x.Code == "unknown_reference" && x.Path == EventReader.Join(path, key.Item1 ? "demandId" : "commitmentId")))
                {
                    // Still without its opening in force (the opening came and was retracted): it waits for another.
                    if (!_pending.TryGetValue(key, out var again)) _pending[key] = again = [];
                    again.Add((e, path, tag));
                }
                else errors.AddRange(mine.Select(m => (tag, m)));
            }
        }
    }

    static IEnumerable<(bool, string)> OpenedKeys(NegotiationEvent e) => e switch
    {
        DemandMade d => [(true, d.DemandId)],
        AgreementSigned a => a.Commitments.Select(c => (false, c.CommitmentId)),
        _ => [],
    };

    static (bool, string)? ClosedKey(NegotiationEvent e) => e switch
    {
        DemandMet m => (true, m.DemandId),
        DemandRefused r => (true, r.DemandId),
        DemandWithdrawn w => (true, w.DemandId),
        CommitmentFulfilled f => (false, f.CommitmentId),
        CommitmentBreached b => (false, b.CommitmentId),
        _ => null,
    };
}
