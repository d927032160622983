using Normalization.Domain.Catalog;
using Normalization.Domain.Stages;
using Normalization.Domain.Validation;

namespace Normalization.Api.Storage;

public sealed record StoredEventId(Guid EventId, bool Duplicate);

/// <summary>What an append did. Exactly one of the cases.</summary>
public abstract record AppendOutcome
{
    public sealed record Appended(int Version, IReadOnlyList<StoredEventId> Events, Stage Stage, Stage PreviousStage) : AppendOutcome
    {
        public bool StageChanged => Stage != PreviousStage;
    }
    public sealed record NotFound : AppendOutcome;
    public sealed record VersionConflict(int CurrentVersion, int ExpectedVersion) : AppendOutcome;
    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : AppendOutcome;
    /// <summary>An eventId of the batch is already stored (or used earlier in it) for a different event: 409 <c>eventid_reused</c> (<see cref="EventIdReuse"/>).</summary>
    public sealed record EventIdReused(IReadOnlyList<FieldError> Errors) : AppendOutcome;
}

/// <summary>An event as recorded: the event, its stream version, when it was recorded and by whom.</summary>
public sealed record RecordedEvent(NegotiationEvent Event, int Version, DateTimeOffset RecordedAt, string? PostedBy);

/// <summary>One line of the timeline: an event in domain order with its record status (spelled for the API by <see cref="DomainIndex.Db"/>).</summary>
public sealed record TimelineEntry(
    NegotiationEvent Event, DomainIndex.IndexStatus Status, Guid? RetractedBy, Guid? CorrectedBy, int Version, DateTimeOffset RecordedAt, string? PostedBy);

public sealed record History(Normalization.Domain.Negotiations.NegotiationOpened Opening, DateTimeOffset OpenedAt, IReadOnlyList<RecordedEvent> Events);
