using Normalization.Api.Storage;

namespace Normalization.Api.Exporting;

/// <summary>The XLSX answer of the timeline: the filtered events and the stage history up to today, as in <c>GET …/stages</c>.</summary>
public static class TimelineXlsx
{
    /// <summary>The workbook as an attachment, <c>{id}-timeline.xlsx</c>; with <paramref name="knownAt"/>, the stage history as the record stood then.</summary>
    public static async Task<IResult> AnswerAsync(string id, IReadOnlyList<TimelineEntry> items, NegotiationStore store, CancellationToken ct, DateTimeOffset? knownAt = null)
    {
        IReadOnlyList<Normalization.Domain.Stages.StageTransition> stages;
        if (knownAt is { } t)
        {
            var state = await store.StateAsOfAsync(id, store.Today, t, ct: ct);
            if (state is null) return await Http.Problems.NotKnownThenAsync(store, id, t, ct);
            stages = state.StageHistory;
        }
        else
        {
            var view = await store.LoadViewAsync(id, ct);
            if (view is null) return Http.Problems.NegotiationNotFound(id);
            stages = view.Head.StageHistoryAt(store.Today);
        }
        using var buffer = new MemoryStream();
        await TimelineWorkbook.WriteAsync(buffer, items, stages, ct);
        return Results.File(buffer.ToArray(), TimelineWorkbook.MediaType, $"{id}-timeline.xlsx");
    }
}
