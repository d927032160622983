namespace Normalization.Domain.Catalog;

// Contacts
/// <summary>Representatives of the parties met and talked. Effect on the fold: Talks between the two principals: Exploratory for the window; with gestures from both sides, ConfidenceBuilding. (docs/event-catalog.md)</summary>
public sealed record TalksHeld : NegotiationEvent
{
    /// <summary>Codes of those at the table: both parties (too_few otherwise), and a mediator if one sat with them.</summary>
    public IReadOnlyList<string> Participants { get; init; } = [];
    /// <summary>Level of the talks.</summary>
    public TalksLevel? Level { get; init; }
    /// <summary>Where the talks took place.</summary>
    public string? Location { get; init; }
    /// <summary>Code of the mediator, if any.</summary>
    public string? Facilitator { get; init; }
}
/// <summary>A public or reported statement about the relationship. Effect on the fold: Ledger only. (docs/event-catalog.md)</summary>
public sealed record StatementIssued : NegotiationEvent
{
    /// <summary>Who spoke.</summary>
    public string? Speaker { get; init; }
    /// <summary>Tone of the statement.</summary>
    public Tone Tone { get; init; } = Tone.Neutral;
    /// <summary>The words, as reported.</summary>
    public string? Quote { get; init; }
}
/// <summary>A party named an envoy for the relationship. Effect on the fold: Ledger only. (docs/event-catalog.md)</summary>
public sealed record EnvoyAppointed : NegotiationEvent
{
    /// <summary>Name of the envoy.</summary>
    public string Envoy { get; init; } = "";
    /// <summary>Title or mandate.</summary>
    public string? Role { get; init; }
}

// Requests and demands
/// <summary>The actor asks the target to recognize its government. Effect on the fold: Ledger: a pending recognition request until the target grants recognition. (docs/event-catalog.md)</summary>
public sealed record RecognitionRequested : NegotiationEvent
{
    /// <summary>Recognition asked for. Default DeJure.</summary>
    public RecognitionForm Form { get; init; } = RecognitionForm.DeJure;
}
/// <summary>The actor asks to open an office in the target's territory. Effect on the fold: Ledger: a pending office request until the actor opens an office there. (docs/event-catalog.md)</summary>
public sealed record OfficeRequested : NegotiationEvent
{
    /// <summary>Kind of office asked for.</summary>
    public OfficeKind? OfficeKind { get; init; }
    /// <summary>Where.</summary>
    public string? Location { get; init; }
    /// <summary>Conditions, e.g. 'outside Washington', 'not necessarily an embassy'.</summary>
    public IReadOnlyList<string> Constraints { get; init; } = [];
}
/// <summary>The actor demands something of the target. Effect on the fold: Ledger: an open demand of the actor. (docs/event-catalog.md)</summary>
public sealed record DemandMade : NegotiationEvent
{
    /// <summary>Your id for the demand, referenced by DemandMet/Refused/Withdrawn.</summary>
    public string DemandId { get; init; } = "";
    /// <summary>What is demanded.</summary>
    public string Subject { get; init; } = "";
    /// <summary>Kind of demand.</summary>
    public DemandCategory Category { get; init; } = DemandCategory.Other;
}
/// <summary>The actor meets a demand made of it. Effect on the fold: Cooperative gesture by the actor (ConfidenceBuilding needs one from each party within the window). (docs/event-catalog.md)</summary>
public sealed record DemandMet : NegotiationEvent
{
    /// <summary>The demand met.</summary>
    public string DemandId { get; init; } = "";
}
/// <summary>The actor refuses a demand made of it. Effect on the fold: Ledger only. (docs/event-catalog.md)</summary>
public sealed record DemandRefused : NegotiationEvent
{
    /// <summary>The demand refused.</summary>
    public string DemandId { get; init; } = "";
}
/// <summary>The actor withdraws its own demand. Effect on the fold: Ledger only. (docs/event-catalog.md)</summary>
public sealed record DemandWithdrawn : NegotiationEvent
{
    /// <summary>The demand withdrawn.</summary>
    public string DemandId { get; init; } = "";
}

// Gestures and concessions
/// <summary>The actor released a person it held. Effect on the fold: Cooperative gesture by the actor (ConfidenceBuilding needs one from each party within the window). (docs/event-catalog.md)</summary>
public sealed record PrisonerReleased : NegotiationEvent
{
    /// <summary>Who was released.</summary>
    public string Person { get; init; } = "";
    /// <summary>ISO 3166 alpha-2 code.</summary>
    public string? Nationality { get; init; }
    /// <summary>On what terms.</summary>
    public ReleaseTerms? Terms { get; init; }
    /// <summary>Code of the party that facilitated.</summary>
    public string? Facilitator { get; init; }
}
/// <summary>One release of an exchange (an item of a <c>PrisonersExchanged</c>'s <c>releases</c>): who released whom.</summary>
public sealed record Release
{
    /// <summary>Code of the releasing party.</summary>
    public string ReleasedBy { get; init; } = "";
    /// <summary>Who was released.</summary>
    public string Person { get; init; } = "";
    /// <summary>ISO 3166 alpha-2 code.</summary>
    public string? Nationality { get; init; }
}
/// <summary>Both parties released people. Effect on the fold: Cooperative gesture by each party. (docs/event-catalog.md)</summary>
public sealed record PrisonersExchanged : NegotiationEvent
{
    /// <summary>Who released whom: each party releases someone (too_few otherwise); a third country may release some too.</summary>
    public IReadOnlyList<Release> Releases { get; init; } = [];
    /// <summary>Code of the party that facilitated.</summary>
    public string? Facilitator { get; init; }
}
/// <summary>The actor withdrew rewards offered for people. Effect on the fold: Cooperative gesture by the actor (ConfidenceBuilding needs one from each party within the window). (docs/event-catalog.md)</summary>
public sealed record RewardRescinded : NegotiationEvent
{
    /// <summary>Names of the people the rewards were for.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];
    /// <summary>Total amount withdrawn, in US dollars.</summary>
    public decimal? AmountUsd { get; init; }
}
/// <summary>The actor eased sanctions. Effect on the fold: Cooperative gesture by the actor (ConfidenceBuilding needs one from each party within the window). (docs/event-catalog.md)</summary>
public sealed record SanctionsEased : NegotiationEvent
{
    /// <summary>Which sanctions.</summary>
    public string Scope { get; init; } = "";
}
/// <summary>The actor released frozen assets. Effect on the fold: Cooperative gesture by the actor (ConfidenceBuilding needs one from each party within the window). (docs/event-catalog.md)</summary>
public sealed record AssetsUnfrozen : NegotiationEvent
{
    /// <summary>Amount unfrozen, in US dollars, if known (lowers the actor's frozen total, never below 0).</summary>
    public decimal? AmountUsd { get; init; }
}
/// <summary>The actor removed a designation (terrorist list etc.). Effect on the fold: Cooperative gesture by the actor (ConfidenceBuilding needs one from each party within the window). (docs/event-catalog.md)</summary>
public sealed record DesignationRemoved : NegotiationEvent
{
    /// <summary>Who was designated.</summary>
    public string Designee { get; init; } = "";
    /// <summary>Which list.</summary>
    public DesignationList List { get; init; } = DesignationList.Other;
}
/// <summary>The actor provided aid. Effect on the fold: Cooperative gesture by the actor (ConfidenceBuilding needs one from each party within the window). (docs/event-catalog.md)</summary>
public sealed record AidProvided : NegotiationEvent
{
    /// <summary>Amount in US dollars.</summary>
    public decimal? AmountUsd { get; init; }
    /// <summary>What for.</summary>
    public string? Purpose { get; init; }
}
/// <summary>The actor fulfilled its agreement commitment. Effect on the fold: Cooperative gesture by the actor (ConfidenceBuilding needs one from each party within the window). (docs/event-catalog.md)</summary>
public sealed record CommitmentFulfilled : NegotiationEvent
{
    /// <summary>The commitment (from an AgreementSigned).</summary>
    public string CommitmentId { get; init; } = "";
}

// Structure
/// <summary>One commitment of an agreement (an item of an <c>AgreementSigned</c>'s <c>commitments</c>): its id, the party it binds and its text.</summary>
public sealed record Commitment
{
    /// <summary>Your id for the commitment.</summary>
    public string CommitmentId { get; init; } = "";
    /// <summary>Code of the committed party: one of the two parties (not_a_party otherwise), the one that fulfils or breaches it.</summary>
    public string Party { get; init; } = "";
    /// <summary>The commitment.</summary>
    public string Text { get; init; } = "";
}
/// <summary>The parties signed an agreement. Effect on the fold: Cooperative gesture by each party; commitments enter the ledger. (docs/event-catalog.md)</summary>
public sealed record AgreementSigned : NegotiationEvent
{
    /// <summary>Name of the agreement.</summary>
    public string Name { get; init; } = "";
    /// <summary>Codes of the signatories: both parties (too_few otherwise), and any mediator or guarantor that signed too.</summary>
    public IReadOnlyList<string> Signatories { get; init; } = [];
    /// <summary>What each party committed to.</summary>
    public IReadOnlyList<Commitment> Commitments { get; init; } = [];
}
/// <summary>The actor (sending party) opened an office in the target's territory. Effect on the fold: Representation while any office operates; embassies both ways mean FullRelations. (docs/event-catalog.md)</summary>
public sealed record OfficeOpened : NegotiationEvent
{
    /// <summary>Kind of office.</summary>
    public OfficeKind OfficeKind { get; init; }
    /// <summary>Where.</summary>
    public string? City { get; init; }
}
/// <summary>The actor (sending party) closed its office in the target's territory. Effect on the fold: Removes the office. (docs/event-catalog.md)</summary>
public sealed record OfficeClosed : NegotiationEvent
{
    /// <summary>Kind of office.</summary>
    public OfficeKind OfficeKind { get; init; }
    /// <summary>Where (omit to close any office of that kind).</summary>
    public string? City { get; init; }
}
/// <summary>The actor recognizes the target's government. Effect on the fold: Recognition when both sides recognize each other de jure. (docs/event-catalog.md)</summary>
public sealed record RecognitionGranted : NegotiationEvent
{
    /// <summary>DeFacto or DeJure (default).</summary>
    public RecognitionForm Form { get; init; } = RecognitionForm.DeJure;
}
/// <summary>The actor withdraws recognition of the target's government. Effect on the fold: Removes the recognition. (docs/event-catalog.md)</summary>
public sealed record RecognitionWithdrawn : NegotiationEvent
{
    /// <summary>DeFacto or DeJure (default).</summary>
    public RecognitionForm Form { get; init; } = RecognitionForm.DeJure;
}
/// <summary>Diplomatic relations established between actor and target. Effect on the fold: FullRelations. (docs/event-catalog.md)</summary>
public sealed record RelationsEstablished : NegotiationEvent;
/// <summary>Diplomatic relations severed. Effect on the fold: Ends FullRelations from relations. (docs/event-catalog.md)</summary>
public sealed record RelationsSevered : NegotiationEvent;

// Level of representation (Correlates of War Diplomatic Exchange: none, chargé d'affaires, minister, ambassador)
/// <summary>The actor recalled its head of mission from the target's capital; <see cref="LevelLeft"/> heads the mission meanwhile.</summary>
public sealed record AmbassadorRecalled : NegotiationEvent
{
    /// <summary>Name of the recalled ambassador.</summary>
    public string? Envoy { get; init; }
    /// <summary>Who heads the actor's mission after the recall. Default <see cref="RepresentationLevel.ChargeDAffaires"/>.</summary>
    public RepresentationLevel LevelLeft { get; init; } = RepresentationLevel.ChargeDAffaires;
}
/// <summary>The actor sent (back) an ambassador to the target's capital: its representation there is at ambassador level.</summary>
public sealed record AmbassadorReturned : NegotiationEvent
{
    /// <summary>Name of the ambassador, if known.</summary>
    public string? Envoy { get; init; }
}
/// <summary>The actor (host) expelled diplomats of the target; <see cref="LevelLeft"/>, when given, is the level the target's mission keeps.</summary>
public sealed record DiplomatsExpelled : NegotiationEvent
{
    /// <summary>How many diplomats were expelled.</summary>
    public int? Count { get; init; }
    /// <summary>The level the target's mission keeps (None: all its diplomats go).</summary>
    public RepresentationLevel? LevelLeft { get; init; }
}
/// <summary>The actor lowered the relations to <see cref="Level"/>: each side's representation in the other is set to it.</summary>
public sealed record RelationsDowngraded : NegotiationEvent
{
    /// <summary>The level both sides' representation is lowered to.</summary>
    public RepresentationLevel Level { get; init; }
}
/// <summary>The actor raised the relations to <see cref="Level"/>: each side's representation in the other is set to it.</summary>
public sealed record RelationsUpgraded : NegotiationEvent
{
    /// <summary>The level both sides' representation is raised to.</summary>
    public RepresentationLevel Level { get; init; }
}

// Pressure and conflict
/// <summary>The actor detained a national of the target. Effect on the fold: Hostile act between the parties (Hostility when no talks within the window). (docs/event-catalog.md)</summary>
public sealed record PersonDetained : NegotiationEvent
{
    /// <summary>Who was detained.</summary>
    public string Person { get; init; } = "";
    /// <summary>ISO 3166 alpha-2 code.</summary>
    public string? Nationality { get; init; }
}
/// <summary>The actor offered rewards for people. Effect on the fold: Ledger only. (docs/event-catalog.md)</summary>
public sealed record RewardOffered : NegotiationEvent
{
    /// <summary>Names.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];
    /// <summary>Total amount, US dollars.</summary>
    public decimal? AmountUsd { get; init; }
}
/// <summary>The actor imposed sanctions. Effect on the fold: Ledger only. (docs/event-catalog.md)</summary>
public sealed record SanctionsImposed : NegotiationEvent
{
    /// <summary>Which sanctions.</summary>
    public string Scope { get; init; } = "";
}
/// <summary>The actor froze assets. Effect on the fold: Ledger only. (docs/event-catalog.md)</summary>
public sealed record AssetsFrozen : NegotiationEvent
{
    /// <summary>Amount frozen, in US dollars, if known (added to the actor's frozen total).</summary>
    public decimal? AmountUsd { get; init; }
}
/// <summary>The actor designated someone (terrorist list etc.). Effect on the fold: Ledger only. (docs/event-catalog.md)</summary>
public sealed record DesignationAdded : NegotiationEvent
{
    /// <summary>Who.</summary>
    public string Designee { get; init; } = "";
    /// <summary>Which list.</summary>
    public DesignationList List { get; init; } = DesignationList.Other;
}
/// <summary>The actor breached its agreement commitment. Effect on the fold: Ledger only. (docs/event-catalog.md)</summary>
public sealed record CommitmentBreached : NegotiationEvent
{
    /// <summary>The commitment breached.</summary>
    public string CommitmentId { get; init; } = "";
}
/// <summary>The actor threatened force or sanctions. Effect on the fold: Ledger only. (docs/event-catalog.md)</summary>
public sealed record ThreatIssued : NegotiationEvent
{
    /// <summary>The words, as reported.</summary>
    public string? Quote { get; init; }
}
/// <summary>The actor struck the target militarily. Effect on the fold: Hostile act between the parties (Hostility when no talks within the window). Only when the target is the other principal. (docs/event-catalog.md)</summary>
public sealed record MilitaryStrike : NegotiationEvent
{
    /// <summary>What was struck.</summary>
    public string? TargetDescription { get; init; }
    /// <summary>People killed.</summary>
    public int? Casualties { get; init; }
}
/// <summary>An attack by the actor (perpetrator) on the target, if any. Effect on the fold: Hostile act between the parties (Hostility when no talks within the window). Only when between the principals. (docs/event-catalog.md)</summary>
public sealed record AttackOccurred : NegotiationEvent
{
    /// <summary>People killed.</summary>
    public int? Casualties { get; init; }
    /// <summary>ISO 3166 alpha-2 codes of the victims' nationalities.</summary>
    public IReadOnlyList<string> VictimsNationalities { get; init; } = [];
}
/// <summary>The actor withdrew troops. Effect on the fold: Ledger only. (docs/event-catalog.md)</summary>
public sealed record TroopsWithdrawn : NegotiationEvent
{
    /// <summary>What was withdrawn, from where.</summary>
    public string? Scope { get; init; }
}

// Context
/// <summary>A third state (actor) recognizes a principal's (target's) government. Effect on the fold: Ledger only. (docs/event-catalog.md)</summary>
public sealed record ThirdPartyRecognition : NegotiationEvent
{
    /// <summary>DeFacto or DeJure (default).</summary>
    public RecognitionForm Form { get; init; } = RecognitionForm.DeJure;
}
/// <summary>A report relevant to the relationship was published by the actor. Effect on the fold: Ledger only. (docs/event-catalog.md)</summary>
public sealed record ReportPublished : NegotiationEvent
{
    /// <summary>Title of the report.</summary>
    public string Title { get; init; } = "";
    /// <summary>What it says.</summary>
    public string? Summary { get; init; }
}

// Record keeping
/// <summary>
/// The record was reviewed: it is complete through <see cref="CoveredUntil"/>. No stage, ledger or momentum effect; it
/// sets how far the record reaches at every date (like a retraction), so a state asked for a later date is extrapolated.
/// </summary>
public sealed record RecordReviewed : NegotiationEvent
{
    /// <summary>The last day the record is complete through (a day, <c>YYYY-MM-DD</c>).</summary>
    public DomainDate CoveredUntil { get; init; }
}

// Corrections: history is never edited; these change how the fold reads it.
/// <summary>An earlier recorded event is retracted: the fold reads history as if it never happened (occurredOn: not before the event retracted, before_target). Effect on the fold: Removes the target event's effect at every date. (docs/event-catalog.md)</summary>
public sealed record EventRetracted : NegotiationEvent
{
    /// <summary>The event retracted.</summary>
    public Guid TargetEventId { get; init; }
    /// <summary>Why.</summary>
    public string Reason { get; init; } = "";
}
/// <summary>An earlier recorded event is replaced by a corrected version (same type) (occurredOn: when it was corrected, not before the event corrected, before_target). Effect on the fold: The fold reads the corrected version in place of the original. (docs/event-catalog.md)</summary>
public sealed record EventCorrected : NegotiationEvent
{
    /// <summary>The event corrected.</summary>
    public Guid TargetEventId { get; init; }
    /// <summary>The full corrected event (same type). Its eventId is left out or is the corrected event's (targetEventId): the corrected version keeps the original's eventId; any other is refused (eventid_mismatch).</summary>
    public NegotiationEvent? Correction { get; init; }
}
