namespace Normalization.Domain.Catalog;

// Contacts
public sealed record TalksHeld : NegotiationEvent
{
    public IReadOnlyList<string> Participants { get; init; } = [];
    public TalksLevel? Level { get; init; }
    public string? Location { get; init; }
    public string? Facilitator { get; init; }
}
public sealed record StatementIssued : NegotiationEvent
{
    public string? Speaker { get; init; }
    public Tone Tone { get; init; } = Tone.Neutral;
    public string? Quote { get; init; }
}
public sealed record EnvoyAppointed : NegotiationEvent
{
    public string Envoy { get; init; } = "";
    public string? Role { get; init; }
}

// Requests and demands
public sealed record RecognitionRequested : NegotiationEvent { public RecognitionForm Form { get; init; } = RecognitionForm.DeJure; }
public sealed record OfficeRequested : NegotiationEvent
{
    public OfficeKind? OfficeKind { get; init; }
    public string? Location { get; init; }
    public IReadOnlyList<string> Constraints { get; init; } = [];
}
public sealed record DemandMade : NegotiationEvent
{
    public string DemandId { get; init; } = "";
    public string Subject { get; init; } = "";
    public DemandCategory Category { get; init; } = DemandCategory.Other;
}
public sealed record DemandMet : NegotiationEvent { public string DemandId { get; init; } = ""; }
public sealed record DemandRefused : NegotiationEvent { public string DemandId { get; init; } = ""; }
public sealed record DemandWithdrawn : NegotiationEvent { public string DemandId { get; init; } = ""; }

// Gestures and concessions
public sealed record PrisonerReleased : NegotiationEvent
{
    public string Person { get; init; } = "";
    public string? Nationality { get; init; }
    public ReleaseTerms? Terms { get; init; }
    public string? Facilitator { get; init; }
}
public sealed record Release
{
    public string ReleasedBy { get; init; } = "";
    public string Person { get; init; } = "";
    public string? Nationality { get; init; }
}
public sealed record PrisonersExchanged : NegotiationEvent
{
    public IReadOnlyList<Release> Releases { get; init; } = [];
    public string? Facilitator { get; init; }
}
public sealed record RewardRescinded : NegotiationEvent
{
    public IReadOnlyList<string> Targets { get; init; } = [];
    public decimal? AmountUsd { get; init; }
}
public sealed record SanctionsEased : NegotiationEvent { public string Scope { get; init; } = ""; }
public sealed record AssetsUnfrozen : NegotiationEvent { public decimal? AmountUsd { get; init; } }
public sealed record DesignationRemoved : NegotiationEvent
{
    public string Designee { get; init; } = "";
    public DesignationList List { get; init; } = DesignationList.Other;
}
public sealed record AidProvided : NegotiationEvent
{
    public decimal? AmountUsd { get; init; }
    public string? Purpose { get; init; }
}
public sealed record CommitmentFulfilled : NegotiationEvent { public string CommitmentId { get; init; } = ""; }

// Structure
public sealed record Commitment
{
    public string CommitmentId { get; init; } = "";
    public string Party { get; init; } = "";
    public string Text { get; init; } = "";
}
public sealed record AgreementSigned : NegotiationEvent
{
    public string Name { get; init; } = "";
    public IReadOnlyList<string> Signatories { get; init; } = [];
    public IReadOnlyList<Commitment> Commitments { get; init; } = [];
}
public sealed record OfficeOpened : NegotiationEvent
{
    public OfficeKind OfficeKind { get; init; }
    public string? City { get; init; }
}
public sealed record OfficeClosed : NegotiationEvent
{
    public OfficeKind OfficeKind { get; init; }
    public string? City { get; init; }
}
public sealed record RecognitionGranted : NegotiationEvent { public RecognitionForm Form { get; init; } = RecognitionForm.DeJure; }
public sealed record RecognitionWithdrawn : NegotiationEvent { public RecognitionForm Form { get; init; } = RecognitionForm.DeJure; }
public sealed record RelationsEstablished : NegotiationEvent;
public sealed record RelationsSevered : NegotiationEvent;

// Level of representation (Correlates of War Diplomatic Exchange: none, chargé d'affaires, minister, ambassador)
/// <summary>The actor recalled its head of mission from the target's capital; <see cref="LevelLeft"/> heads the mission meanwhile.</summary>
public sealed record AmbassadorRecalled : NegotiationEvent
{
    public string? Envoy { get; init; }
    /// <summary>Who heads the actor's mission after the recall. Default <see cref="RepresentationLevel.ChargeDAffaires"/>.</summary>
    public RepresentationLevel LevelLeft { get; init; } = RepresentationLevel.ChargeDAffaires;
}
/// <summary>The actor sent (back) an ambassador to the target's capital: its representation there is at ambassador level.</summary>
public sealed record AmbassadorReturned : NegotiationEvent { public string? Envoy { get; init; } }
/// <summary>The actor (host) expelled diplomats of the target; <see cref="LevelLeft"/>, when given, is the level the target's mission keeps.</summary>
public sealed record DiplomatsExpelled : NegotiationEvent
{
    public int? Count { get; init; }
    public RepresentationLevel? LevelLeft { get; init; }
}
/// <summary>The actor lowered the relations to <see cref="Level"/>: each side's representation in the other is set to it.</summary>
public sealed record RelationsDowngraded : NegotiationEvent { public RepresentationLevel Level { get; init; } }
/// <summary>The actor raised the relations to <see cref="Level"/>: each side's representation in the other is set to it.</summary>
public sealed record RelationsUpgraded : NegotiationEvent { public RepresentationLevel Level { get; init; } }

// Pressure and conflict
public sealed record PersonDetained : NegotiationEvent
{
    public string Person { get; init; } = "";
    public string? Nationality { get; init; }
}
public sealed record RewardOffered : NegotiationEvent
{
    public IReadOnlyList<string> Targets { get; init; } = [];
    public decimal? AmountUsd { get; init; }
}
public sealed record SanctionsImposed : NegotiationEvent { public string Scope { get; init; } = ""; }
public sealed record AssetsFrozen : NegotiationEvent { public decimal? AmountUsd { get; init; } }
public sealed record DesignationAdded : NegotiationEvent
{
    public string Designee { get; init; } = "";
    public DesignationList List { get; init; } = DesignationList.Other;
}
public sealed record CommitmentBreached : NegotiationEvent { public string CommitmentId { get; init; } = ""; }
public sealed record ThreatIssued : NegotiationEvent { public string? Quote { get; init; } }
public sealed record MilitaryStrike : NegotiationEvent
{
    public string? TargetDescription { get; init; }
    public int? Casualties { get; init; }
}
public sealed record AttackOccurred : NegotiationEvent
{
    public int? Casualties { get; init; }
    public IReadOnlyList<string> VictimsNationalities { get; init; } = [];
}
public sealed record TroopsWithdrawn : NegotiationEvent { public string? Scope { get; init; } }

// Context
public sealed record ThirdPartyRecognition : NegotiationEvent { public RecognitionForm Form { get; init; } = RecognitionForm.DeJure; }
public sealed record ReportPublished : NegotiationEvent
{
    public string Title { get; init; } = "";
    public string? Summary { get; init; }
}

// Record keeping
/// <summary>
/// The record was reviewed: it is complete through <see cref="CoveredUntil"/>. No stage, ledger or momentum effect; it
/// sets how far the record reaches at every date (like a retraction), so a state asked for a later date is extrapolated.
/// </summary>
public sealed record RecordReviewed : NegotiationEvent { public DomainDate CoveredUntil { get; init; } }

// Corrections: history is never edited; these change how the fold reads it.
public sealed record EventRetracted : NegotiationEvent
{
    public Guid TargetEventId { get; init; }
    public string Reason { get; init; } = "";
}
public sealed record EventCorrected : NegotiationEvent
{
    public Guid TargetEventId { get; init; }
    public NegotiationEvent? Correction { get; init; }
}
