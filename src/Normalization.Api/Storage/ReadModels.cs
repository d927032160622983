using Normalization.Domain.Folding;
using Normalization.Domain.Momentum;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;

namespace Normalization.Api.Storage;

/// <summary>
/// A negotiation's head at a version: the fold of its whole effective history. Not a stored document — it comes from
/// the <see cref="HeadCache"/> or the last checkpoint plus the events after it (<see cref="NegotiationStore.LoadViewAsync"/>).
/// Asking it for a date on or after the last event is O(1) in history. <see cref="Head"/> is shared: read it, never change it.
/// </summary>
public sealed class NegotiationView
{
    public string Id { get; set; } = "";
    public int Version { get; set; }
    public FoldAccumulator Head { get; set; } = new();
}

/// <summary>
/// One row of the board. Stage changes that will happen without new events (window expiries, an event of the current month
/// or year counted from its period's end) are kept as <see cref="Upcoming"/>.
/// </summary>
public sealed class BoardEntry
{
    public string Id { get; set; } = "";
    public string Title { get; set; } = "";
    public IReadOnlyList<Party> Parties { get; set; } = [];
    /// <summary>The opening's tags (e.g. "library"), for the board's tag filter.</summary>
    public IReadOnlyList<string> Tags { get; set; } = [];
    public Stage Stage { get; set; }
    public DateOnly? StageSince { get; set; }
    public string? LastEventOn { get; set; }
    public MomentumView? Momentum { get; set; }
    public int Version { get; set; }
    public List<StageTransition> Upcoming { get; set; } = [];
    /// <summary>The <see cref="FoldAccumulator.Format"/> this row (and the checkpoints behind it) were folded with; 0 for rows stored before it was recorded.</summary>
    public int FoldFormat { get; set; }

    /// <summary>
    /// The <see cref="Upcoming"/> of <paramref name="head"/> for a row whose stage is the one on <paramref name="day"/>: the
    /// stage changes after it that come with no new event (<see cref="FoldAccumulator.Upcoming"/> — window expiries, and
    /// the change an event counted from a later day makes on it).
    /// </summary>
    public static List<StageTransition> UpcomingOf(FoldAccumulator head, DateOnly day) => head.Upcoming(day);

    /// <summary>The stage on <paramref name="today"/>, applying the upcoming changes already due.</summary>
    public (Stage Stage, DateOnly? Since) StageOn(DateOnly today)
    {
        var due = Upcoming.LastOrDefault(t => t.On <= today);
        return due is null ? (Stage, StageSince) : (due.To, due.On);
    }
}

/// <summary>A party's negotiations (multi-stream view keyed by party code).</summary>
public sealed class PartyProfile
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public List<string> NegotiationIds { get; set; } = [];
}
