using Normalization.Api.Alerts.Notifying;

namespace Normalization.Api.Alerts.Feeds;

/// <summary>A stage change kept for the Atom feeds (a Marten document, id = the alert id; written by <see cref="StageChangedHandler"/>).</summary>
public sealed class RecordedStageChange
{
    public Guid Id { get; set; }
    public string NegotiationId { get; set; } = "";
    public string Title { get; set; } = "";
    public StageChangeAlert Alert { get; set; } = null!;
    public DateTimeOffset RecordedAt { get; set; }

    public static RecordedStageChange Of(StageChanged m) => new()
    {
        Id = m.Alert.Id, NegotiationId = m.Alert.NegotiationId, Title = m.Title, Alert = m.Alert, RecordedAt = m.Alert.RecordedAt,
    };
}
