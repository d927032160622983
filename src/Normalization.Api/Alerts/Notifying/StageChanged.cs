using System.Security.Cryptography;
using System.Text;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;

namespace Normalization.Api.Alerts.Notifying;

/// <summary>What caused a stage change: a new event, the end of a rule's window (no new event), or a late event rewriting past history.</summary>
public static class AlertCause
{
    public const string Event = "event";
    public const string WindowExpired = "window-expired";
    public const string Revised = "revised";
}

/// <summary>
/// One stage change of a negotiation, as POSTed to subscribers (docs/alerts.md) and kept for the Atom feeds. <see cref="Id"/>
/// is derived from the change itself (<see cref="IdOf"/>), so the same change announced twice carries the same id.
/// </summary>
/// <param name="Id">Stable id of the change: the receiver drops a repeated id.</param>
/// <param name="NegotiationId">The negotiation's slug.</param>
/// <param name="On">The domain date of the change.</param>
/// <param name="From">The stage before (null for the baseline).</param>
/// <param name="To">The stage after.</param>
/// <param name="Rule">The stage rule that holds from <paramref name="On"/> (docs/stage-model.md).</param>
/// <param name="EventIds">The events that satisfy the rule.</param>
/// <param name="Cause"><see cref="AlertCause"/>: event, window-expired or revised.</param>
/// <param name="RecordedAt">When the change was recorded (the append's commit time, or the day an expiry was noticed).</param>
public sealed record StageChangeAlert(Guid Id, string NegotiationId, DateOnly? On, Stage? From, Stage To, string Rule,
    IReadOnlyList<Guid> EventIds, string Cause, DateTimeOffset RecordedAt)
{
    /// <summary>
    /// A name-based id (SHA-256 of negotiation, date, from, to and rule, and the stream version of the write that announced
    /// it — none for a change announced on its day, <see cref="Decaying.WindowExpiryDue"/>; RFC 9562 version 8 layout). Every
    /// copy of one announcement carries the same id; a change a later write took back and another put back is announced anew.
    /// </summary>
    public static Guid IdOf(string negotiationId, StageTransition t, int? version = null)
    {
        var key = $"{negotiationId}|{t.On:yyyy-MM-dd}|{t.From}|{t.To}|{t.Rule}" + (version is { } v ? $"|v{v}" : "");
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122/9562 variant
        return new Guid(bytes, bigEndian: true);
    }
}

/// <summary>The Wolverine message recorded with the append (outbox): a stage change to fan out to the matching subscriptions.</summary>
/// <param name="Alert">The change.</param>
/// <param name="Title">The negotiation's title (for the feeds).</param>
/// <param name="Parties">The negotiation's party codes (the <c>party</c> filter).</param>
public sealed record StageChanged(StageChangeAlert Alert, string Title, IReadOnlyList<string> Parties)
{
    /// <summary>
    /// The message for transition <paramref name="t"/> of the negotiation opened by <paramref name="opening"/>, announced by
    /// the write that brought the stream to <paramref name="version"/> (null: announced on its day, no write).
    /// </summary>
    public static StageChanged Of(string negotiationId, NegotiationOpened opening, StageTransition t, string cause, DateTimeOffset recordedAt, int? version = null) =>
        new(new StageChangeAlert(StageChangeAlert.IdOf(negotiationId, t, version), negotiationId, t.On, t.From, t.To, t.Rule, t.EventIds, cause, recordedAt),
            opening.Title, opening.Parties.Select(p => p.Code).ToList());
}
