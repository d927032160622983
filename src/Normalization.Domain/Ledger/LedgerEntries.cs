using Normalization.Domain.Catalog;

namespace Normalization.Domain.Ledger;

public enum DemandStatus { Open, Met, Refused, Withdrawn }
public enum RequestKind { Recognition, Office }
public enum RequestStatus { Pending, Granted }
public enum CommitmentStatus { Pending, Fulfilled, Breached }

public sealed record DemandEntry(string DemandId, string By, string? Of, string Subject, DemandCategory Category,
    DemandStatus Status, DateOnly? MadeOn, DateOnly? ResolvedOn, IReadOnlyList<Guid> EventIds);

public sealed record RequestEntry(RequestKind Kind, string By, string Of, string Detail, DateOnly RequestedOn,
    RequestStatus Status, DateOnly? GrantedOn, IReadOnlyList<Guid> EventIds);

public sealed record GestureEntry(string Party, DateOnly On, string Type, Guid EventId);

public sealed record PrisonerEntry(string ReleasedBy, string Person, string? Nationality, DateOnly On, Guid EventId);

/// <summary>
/// A sanction in force: who imposed it (<c>by</c>, a party code; null for a baseline sanction, which the baseline lists by
/// its scope only), its <c>scope</c>, since when and by which event (both null for a baseline sanction).
/// </summary>
public sealed record SanctionEntry(string? By, string Scope, DateOnly? Since, Guid? EventId);

public sealed record DesignationEntry(string By, string Designee, DesignationList List, DateOnly? Since, Guid? EventId);

public sealed record RewardEntry(string By, string Person, decimal? AmountUsd, DateOnly Since, Guid EventId);

public sealed record OfficeEntry(string Sender, string Host, OfficeKind OfficeKind, string? City, DateOnly? Since, Guid? EventId);

public sealed record RecognitionEntry(string By, string Of, RecognitionForm Form, DateOnly? Since, Guid? EventId);

public sealed record RelationsEntry(RelationsStatus Status, DateOnly? Since, Guid? EventId);

/// <summary>
/// One party's representation in the other's capital (Correlates of War Diplomatic Exchange levels). <c>Level</c> is null
/// while no event has recorded it: a history that never speaks of envoys keeps the stage rules it always had.
/// </summary>
public sealed record RepresentationEntry(string Sender, string Host, RepresentationLevel? Level, DateOnly? Since, Guid? EventId);

/// <summary>A change of one party's level of representation in the other's capital, and the event that made it.</summary>
public sealed record RepresentationChange(string Sender, string Host, RepresentationLevel? From, RepresentationLevel? To, DateOnly On, string Type, Guid EventId);

public sealed record CommitmentEntry(string CommitmentId, string Party, string Text, CommitmentStatus Status, IReadOnlyList<Guid> EventIds);

public sealed record AgreementEntry(string Name, DateOnly SignedOn, IReadOnlyList<string> Signatories, Guid EventId, IReadOnlyList<string> CommitmentIds);

public sealed record ThirdPartyRecognitionEntry(string By, string Of, RecognitionForm Form, DateOnly On, Guid EventId);

/// <summary>
/// Everything ever closed, counted: the ledger lists open demands, pending requests and pending commitments in full, but
/// only the most recent 100 resolved demands, granted requests, closed commitments, agreements and third-party recognitions.
/// </summary>
public sealed record LedgerTotals
{
    public int DemandsResolved { get; init; }
    public int RequestsGranted { get; init; }
    public int CommitmentsClosed { get; init; }
    public int Agreements { get; init; }
    public int ThirdPartyRecognitions { get; init; }
    public int RepresentationChanges { get; init; }
}

/// <summary>The ledger as of a date: what is open, pending, given, operating and imposed.</summary>
public sealed record LedgerView
{
    public IReadOnlyList<DemandEntry> Demands { get; init; } = [];
    public IReadOnlyList<RequestEntry> Requests { get; init; } = [];
    public IReadOnlyDictionary<string, IReadOnlyList<GestureEntry>> GesturesByParty { get; init; } = new Dictionary<string, IReadOnlyList<GestureEntry>>();
    public IReadOnlyDictionary<string, IReadOnlyList<PrisonerEntry>> PrisonersReleasedByParty { get; init; } = new Dictionary<string, IReadOnlyList<PrisonerEntry>>();
    /// <summary>All gestures ever made per party (the lists above keep the most recent 100 per party).</summary>
    public IReadOnlyDictionary<string, int> GestureCountByParty { get; init; } = new Dictionary<string, int>();
    public IReadOnlyDictionary<string, int> PrisonersReleasedCountByParty { get; init; } = new Dictionary<string, int>();
    public IReadOnlyList<SanctionEntry> Sanctions { get; init; } = [];
    public IReadOnlyList<DesignationEntry> Designations { get; init; } = [];
    public IReadOnlyList<RewardEntry> Rewards { get; init; } = [];
    public IReadOnlyList<OfficeEntry> Offices { get; init; } = [];
    public IReadOnlyList<RecognitionEntry> Recognition { get; init; } = [];
    public RelationsEntry Relations { get; init; } = new(RelationsStatus.None, null, null);
    /// <summary>Recalls, returns, expulsions, downgrades and upgrades, oldest first (the most recent 100; <c>totals.representationChanges</c> counts them all).</summary>
    public IReadOnlyList<RepresentationChange> RepresentationChanges { get; init; } = [];
    public IReadOnlyList<AgreementEntry> Agreements { get; init; } = [];
    public IReadOnlyList<CommitmentEntry> Commitments { get; init; } = [];
    public IReadOnlyList<ThirdPartyRecognitionEntry> ThirdPartyRecognitions { get; init; } = [];
    public IReadOnlyDictionary<string, decimal> FrozenAssetsUsdByParty { get; init; } = new Dictionary<string, decimal>();
    public LedgerTotals Totals { get; init; } = new();
}
