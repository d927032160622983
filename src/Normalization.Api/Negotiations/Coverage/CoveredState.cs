using Normalization.Api.Storage;
using Normalization.Domain.Folding;
using Normalization.Domain.Stages;

namespace Normalization.Api.Negotiations.Coverage;

/// <summary>
/// The state at a date read against how far the record reaches (docs/stage-model.md, "How far the record reaches").
/// Coverage holds at every date, like a retraction; a state folded from a checkpoint stops before a later
/// <c>RecordReviewed</c>, so the record's coverage as known now is taken from the head, which has folded every event.
/// "As known at" states are folded from the whole record as it then stood and already carry it.
/// </summary>
public static class CoveredState
{
    public static async Task<NegotiationState?> StateAsOfAsync(NegotiationStore store, string id, DateOnly asOf, DateTimeOffset? knownAt,
        FoldOptions? options = null, CancellationToken ct = default)
    {
        var state = await store.StateAsOfAsync(id, asOf, knownAt, options, ct);
        if (state is null || knownAt is not null) return state;
        var view = await store.LoadViewAsync(id, ct);
        return view is null ? state : state.WithCoverage(view.Head.CoveredUntil);
    }
}
