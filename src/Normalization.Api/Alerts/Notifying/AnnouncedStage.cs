using Normalization.Domain.Stages;

namespace Normalization.Api.Alerts.Notifying;

/// <summary>
/// What a receiver of every alert of a negotiation believes (a Marten document, id = the negotiation): the latest day it was
/// told of and the stage it was told holds from then. Kept in the transaction of each write that announces a change
/// (<see cref="StageChangeAlerts.Reconcile"/>) and by a change announced on its day (<c>WindowExpiryDueHandler</c>).
/// </summary>
public sealed class AnnouncedStage
{
    /// <summary>The negotiation's slug.</summary>
    public string Id { get; set; } = "";

    /// <summary>The latest <c>on</c> announced (null: none yet, only the opening stage).</summary>
    public DateOnly? On { get; set; }

    /// <summary>The stage the latest announcement (by <see cref="On"/>, then by time) moved to.</summary>
    public Stage Stage { get; set; }

    /// <summary>A negotiation with no record of what was announced: its receivers are taken to know its stage history so far.</summary>
    public static AnnouncedStage Of(string negotiationId, StageTransition last) => new() { Id = negotiationId, On = last.On, Stage = last.To };

    /// <summary>Takes in one more announced change (the later of two on the same day wins).</summary>
    public void Told(StageTransition t)
    {
        if (t.On is { } on && (On is not { } last || on >= last)) (On, Stage) = (on, t.To);
    }
}
