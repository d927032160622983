using Normalization.Domain.Catalog;

namespace Normalization.Domain.Ledger;

/// <summary>Where a demand stands: open until the party it was made of meets or refuses it, or its maker withdraws it.</summary>
public enum DemandStatus
{
    /// <summary>Made and not yet answered.</summary>
    Open,
    /// <summary>Met by the party it was made of (<see cref="DemandMet"/>).</summary>
    Met,
    /// <summary>Refused by the party it was made of (<see cref="DemandRefused"/>).</summary>
    Refused,
    /// <summary>Withdrawn by its maker (<see cref="DemandWithdrawn"/>).</summary>
    Withdrawn,
}

/// <summary>What a request asks for.</summary>
public enum RequestKind
{
    /// <summary>Recognition of the requester's government (<see cref="RecognitionRequested"/>).</summary>
    Recognition,
    /// <summary>An office in the other party's territory (<see cref="OfficeRequested"/>).</summary>
    Office,
}

/// <summary>Where a request stands.</summary>
public enum RequestStatus
{
    /// <summary>Asked, not granted yet.</summary>
    Pending,
    /// <summary>Granted: the recognition was granted, or the requester opened an office there.</summary>
    Granted,
}

/// <summary>Where a commitment of an agreement stands.</summary>
public enum CommitmentStatus
{
    /// <summary>Signed, neither fulfilled nor breached yet.</summary>
    Pending,
    /// <summary>Fulfilled by its party (<see cref="CommitmentFulfilled"/>).</summary>
    Fulfilled,
    /// <summary>Breached by its party (<see cref="CommitmentBreached"/>).</summary>
    Breached,
}

/// <summary>A demand in the ledger: open, or closed (the most recent 100 closed ones; <c>totals.demandsResolved</c> counts them all).</summary>
/// <param name="DemandId">The id the <see cref="DemandMade"/> gave it, named by its closings.</param>
/// <param name="By">The party that made it.</param>
/// <param name="Of">The party it was made of (null: no target recorded).</param>
/// <param name="Subject">What is demanded.</param>
/// <param name="Category">Kind of demand.</param>
/// <param name="Status">Open, met, refused or withdrawn.</param>
/// <param name="MadeOn">The day the demand counts from (the last day of its date's period).</param>
/// <param name="ResolvedOn">The day it was closed; null while open.</param>
/// <param name="EventIds">The events behind the entry: the demand and its closing.</param>
public sealed record DemandEntry(string DemandId, string By, string? Of, string Subject, DemandCategory Category,
    DemandStatus Status, DateOnly? MadeOn, DateOnly? ResolvedOn, IReadOnlyList<Guid> EventIds);

/// <summary>A request for recognition or for an office: pending, or granted (the most recent 100; <c>totals.requestsGranted</c> counts them all).</summary>
/// <param name="Kind">Recognition or office.</param>
/// <param name="By">The requesting party.</param>
/// <param name="Of">The party asked.</param>
/// <param name="Detail">The form of recognition asked for, or the office's kind, place and conditions, joined by "; ".</param>
/// <param name="RequestedOn">The day the request counts from.</param>
/// <param name="Status">Pending or granted.</param>
/// <param name="GrantedOn">The day it was granted; null while pending.</param>
/// <param name="EventIds">The events behind the entry: the request and what granted it.</param>
public sealed record RequestEntry(RequestKind Kind, string By, string Of, string Detail, DateOnly RequestedOn,
    RequestStatus Status, DateOnly? GrantedOn, IReadOnlyList<Guid> EventIds);

/// <summary>A cooperative gesture of a party (docs/stage-model.md, "What counts as talks, a gesture, a hostile act").</summary>
/// <param name="Party">The party that made it.</param>
/// <param name="On">The day it counts.</param>
/// <param name="Type">The event type, e.g. <c>SanctionsEased</c>.</param>
/// <param name="EventId">The event.</param>
public sealed record GestureEntry(string Party, DateOnly On, string Type, Guid EventId);

/// <summary>A person released by a party, alone (<see cref="PrisonerReleased"/>) or in an exchange (<see cref="PrisonersExchanged"/>).</summary>
/// <param name="ReleasedBy">The releasing party.</param>
/// <param name="Person">Who was released.</param>
/// <param name="Nationality">Their nationality (ISO 3166 alpha-2), when recorded.</param>
/// <param name="On">The day of the release.</param>
/// <param name="EventId">The event.</param>
public sealed record PrisonerEntry(string ReleasedBy, string Person, string? Nationality, DateOnly On, Guid EventId);

/// <summary>
/// A sanction in force: who imposed it (<c>by</c>, a party code; null for a baseline sanction, which the baseline lists by
/// its scope only), its <c>scope</c>, since when and by which event (both null for a baseline sanction).
/// </summary>
/// <param name="By">The imposing party; null for a baseline sanction.</param>
/// <param name="Scope">What the sanction covers, as recorded (a <see cref="SanctionsEased"/> of the same scope lifts it).</param>
/// <param name="Since">The day it was first imposed; null for a baseline sanction.</param>
/// <param name="EventId">The imposing event; null for a baseline sanction.</param>
public sealed record SanctionEntry(string? By, string Scope, DateOnly? Since, Guid? EventId);

/// <summary>A designation in force (a terrorist list, a state-sponsor list …).</summary>
/// <param name="By">The designating party.</param>
/// <param name="Designee">Who or what is designated.</param>
/// <param name="List">The list.</param>
/// <param name="Since">The day it was first listed; null from the baseline.</param>
/// <param name="EventId">The designating event; null from the baseline.</param>
public sealed record DesignationEntry(string By, string Designee, DesignationList List, DateOnly? Since, Guid? EventId);

/// <summary>A standing reward offer for a person (a new offer for the same person replaces it).</summary>
/// <param name="By">The offering party.</param>
/// <param name="Person">The person the reward is for.</param>
/// <param name="AmountUsd">The amount in US dollars, when recorded.</param>
/// <param name="Since">The day the offer stands from.</param>
/// <param name="EventId">The offering event.</param>
public sealed record RewardEntry(string By, string Person, decimal? AmountUsd, DateOnly Since, Guid EventId);

/// <summary>An office of one party operating in the other's territory.</summary>
/// <param name="Sender">The party whose office it is.</param>
/// <param name="Host">The party in whose territory it operates.</param>
/// <param name="OfficeKind">Embassy, consulate, liaison office, interests section or representative office.</param>
/// <param name="City">Where, when recorded.</param>
/// <param name="Since">The day it opened; null from the baseline.</param>
/// <param name="EventId">The opening event; null from the baseline.</param>
public sealed record OfficeEntry(string Sender, string Host, OfficeKind OfficeKind, string? City, DateOnly? Since, Guid? EventId);

/// <summary>One party's recognition of the other's government, in force.</summary>
/// <param name="By">The recognizing party.</param>
/// <param name="Of">The recognized party.</param>
/// <param name="Form">De jure or de facto (only de jure counts for the stage).</param>
/// <param name="Since">The day it was granted; null from the baseline.</param>
/// <param name="EventId">The granting event; null from the baseline.</param>
public sealed record RecognitionEntry(string By, string Of, RecognitionForm Form, DateOnly? Since, Guid? EventId);

/// <summary>The state of diplomatic relations between the parties.</summary>
/// <param name="Status">None, established or severed.</param>
/// <param name="Since">The day of the latest establishment or severance; null from the baseline.</param>
/// <param name="EventId">That event; null from the baseline.</param>
public sealed record RelationsEntry(RelationsStatus Status, DateOnly? Since, Guid? EventId);

/// <summary>
/// One party's representation in the other's capital (Correlates of War Diplomatic Exchange levels). <c>Level</c> is null
/// while no event has recorded it: a history that never speaks of envoys keeps the stage rules it always had.
/// </summary>
/// <param name="Sender">The represented party.</param>
/// <param name="Host">The party in whose capital.</param>
/// <param name="Level">None, chargé d'affaires, minister or ambassador; null while unrecorded.</param>
/// <param name="Since">The day of the event that set it.</param>
/// <param name="EventId">That event.</param>
public sealed record RepresentationEntry(string Sender, string Host, RepresentationLevel? Level, DateOnly? Since, Guid? EventId);

/// <summary>A change of one party's level of representation in the other's capital, and the event that made it.</summary>
/// <param name="Sender">The represented party.</param>
/// <param name="Host">The party in whose capital.</param>
/// <param name="From">The level before (null: unrecorded).</param>
/// <param name="To">The level after (null: not recorded).</param>
/// <param name="On">The day of the change.</param>
/// <param name="Type">The event type, e.g. <c>AmbassadorRecalled</c>.</param>
/// <param name="EventId">The event.</param>
public sealed record RepresentationChange(string Sender, string Host, RepresentationLevel? From, RepresentationLevel? To, DateOnly On, string Type, Guid EventId);

/// <summary>A commitment of a signed agreement: pending, or closed (the most recent 100; <c>totals.commitmentsClosed</c> counts them all).</summary>
/// <param name="CommitmentId">The id the agreement gave it, named by its closings.</param>
/// <param name="Party">The party it binds.</param>
/// <param name="Text">What was committed to.</param>
/// <param name="Status">Pending, fulfilled or breached.</param>
/// <param name="EventIds">The events behind the entry: the agreement and the closing.</param>
public sealed record CommitmentEntry(string CommitmentId, string Party, string Text, CommitmentStatus Status, IReadOnlyList<Guid> EventIds);

/// <summary>An agreement signed between the parties (the most recent 100; <c>totals.agreements</c> counts them all).</summary>
/// <param name="Name">The agreement's name.</param>
/// <param name="SignedOn">The day it counts as signed.</param>
/// <param name="Signatories">Codes of the signatories (both parties, and any guarantor).</param>
/// <param name="EventId">The signing event.</param>
/// <param name="CommitmentIds">The ids of its commitments (listed in the ledger's <c>commitments</c>).</param>
public sealed record AgreementEntry(string Name, DateOnly SignedOn, IReadOnlyList<string> Signatories, Guid EventId, IReadOnlyList<string> CommitmentIds);

/// <summary>A third state's recognition of one of the parties (context: no stage effect).</summary>
/// <param name="By">The recognizing third state.</param>
/// <param name="Of">The recognized party.</param>
/// <param name="Form">De jure or de facto.</param>
/// <param name="On">The day of the recognition.</param>
/// <param name="EventId">The event.</param>
public sealed record ThirdPartyRecognitionEntry(string By, string Of, RecognitionForm Form, DateOnly On, Guid EventId);

/// <summary>
/// Everything ever closed, counted: the ledger lists open demands, pending requests and pending commitments in full, but
/// only the most recent 100 resolved demands, granted requests, closed commitments, agreements and third-party recognitions.
/// </summary>
public sealed record LedgerTotals
{
    /// <summary>Demands met, refused or withdrawn.</summary>
    public int DemandsResolved { get; init; }
    /// <summary>Requests granted.</summary>
    public int RequestsGranted { get; init; }
    /// <summary>Commitments fulfilled or breached.</summary>
    public int CommitmentsClosed { get; init; }
    /// <summary>Agreements signed between the parties.</summary>
    public int Agreements { get; init; }
    /// <summary>Recognitions of a party by third states.</summary>
    public int ThirdPartyRecognitions { get; init; }
    /// <summary>Changes of the level of representation.</summary>
    public int RepresentationChanges { get; init; }
}

/// <summary>The ledger as of a date: what is open, pending, given, operating and imposed.</summary>
public sealed record LedgerView
{
    /// <summary>Open demands and the most recent 100 resolved ones.</summary>
    public IReadOnlyList<DemandEntry> Demands { get; init; } = [];
    /// <summary>Pending requests and the most recent 100 granted ones.</summary>
    public IReadOnlyList<RequestEntry> Requests { get; init; } = [];
    /// <summary>Each party's cooperative gestures (the most recent 100 per party).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<GestureEntry>> GesturesByParty { get; init; } = new Dictionary<string, IReadOnlyList<GestureEntry>>();
    /// <summary>The persons each party released (the most recent 100 per party).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<PrisonerEntry>> PrisonersReleasedByParty { get; init; } = new Dictionary<string, IReadOnlyList<PrisonerEntry>>();
    /// <summary>All gestures ever made per party (the lists above keep the most recent 100 per party).</summary>
    public IReadOnlyDictionary<string, int> GestureCountByParty { get; init; } = new Dictionary<string, int>();
    /// <summary>All persons ever released per party.</summary>
    public IReadOnlyDictionary<string, int> PrisonersReleasedCountByParty { get; init; } = new Dictionary<string, int>();
    /// <summary>Sanctions in force (baseline ones with a null <c>by</c>).</summary>
    public IReadOnlyList<SanctionEntry> Sanctions { get; init; } = [];
    /// <summary>Designations in force.</summary>
    public IReadOnlyList<DesignationEntry> Designations { get; init; } = [];
    /// <summary>Standing reward offers.</summary>
    public IReadOnlyList<RewardEntry> Rewards { get; init; } = [];
    /// <summary>Offices operating, either way.</summary>
    public IReadOnlyList<OfficeEntry> Offices { get; init; } = [];
    /// <summary>Recognitions in force, either way.</summary>
    public IReadOnlyList<RecognitionEntry> Recognition { get; init; } = [];
    /// <summary>The state of diplomatic relations.</summary>
    public RelationsEntry Relations { get; init; } = new(RelationsStatus.None, null, null);
    /// <summary>Recalls, returns, expulsions, downgrades and upgrades, oldest first (the most recent 100; <c>totals.representationChanges</c> counts them all).</summary>
    public IReadOnlyList<RepresentationChange> RepresentationChanges { get; init; } = [];
    /// <summary>Agreements signed between the parties (the most recent 100).</summary>
    public IReadOnlyList<AgreementEntry> Agreements { get; init; } = [];
    /// <summary>Pending commitments and the most recent 100 closed ones.</summary>
    public IReadOnlyList<CommitmentEntry> Commitments { get; init; } = [];
    /// <summary>Recognitions of a party by third states (the most recent 100).</summary>
    public IReadOnlyList<ThirdPartyRecognitionEntry> ThirdPartyRecognitions { get; init; } = [];
    /// <summary>Assets each party holds frozen, in US dollars (frozen minus unfrozen amounts, never below 0).</summary>
    public IReadOnlyDictionary<string, decimal> FrozenAssetsUsdByParty { get; init; } = new Dictionary<string, decimal>();
    /// <summary>Counts of everything ever closed.</summary>
    public LedgerTotals Totals { get; init; } = new();
}
