namespace Normalization.Domain.Catalog;

/// <summary>Level of a round of talks, lowest to highest.</summary>
public enum TalksLevel
{
    /// <summary>Exploratory contacts.</summary>
    Exploratory,
    /// <summary>Officials and experts.</summary>
    Technical,
    /// <summary>Senior officials or ministers.</summary>
    Senior,
    /// <summary>Heads of state or government.</summary>
    Leaders,
}
/// <summary>Tone of a statement: it weighs +0.4, 0 or −0.4 in the momentum.</summary>
public enum Tone
{
    /// <summary>Optimistic or conciliatory (+0.4).</summary>
    Positive,
    /// <summary>Neither (0).</summary>
    Neutral,
    /// <summary>Pessimistic or hostile (−0.4).</summary>
    Negative,
}
/// <summary>Form of a recognition: only de jure counts for the Recognition stage.</summary>
public enum RecognitionForm
{
    /// <summary>De facto: dealing with the government that holds power, without recognizing it as lawful.</summary>
    DeFacto,
    /// <summary>De jure: full recognition of the government.</summary>
    DeJure,
}
/// <summary>Kind of an official office of one party in the other's territory.</summary>
public enum OfficeKind
{
    /// <summary>An embassy (both ways: FullRelations, rule <c>embassies-both-ways</c>).</summary>
    Embassy,
    /// <summary>A consulate.</summary>
    Consulate,
    /// <summary>A liaison office.</summary>
    LiaisonOffice,
    /// <summary>An interests section (usually under a protecting power's flag).</summary>
    InterestsSection,
    /// <summary>Any other representative office.</summary>
    RepresentativeOffice,
}
/// <summary>Kind of a demand.</summary>
public enum DemandCategory
{
    /// <summary>Release of prisoners or detainees.</summary>
    PrisonerRelease,
    /// <summary>Unfreezing of assets.</summary>
    AssetsUnfreeze,
    /// <summary>Easing or lifting of sanctions.</summary>
    SanctionsRelief,
    /// <summary>Recognition of a government.</summary>
    Recognition,
    /// <summary>Return of equipment.</summary>
    EquipmentReturn,
    /// <summary>Counter-terrorism measures.</summary>
    Counterterrorism,
    /// <summary>Anything else.</summary>
    Other,
}
/// <summary>Terms on which a person was released.</summary>
public enum ReleaseTerms
{
    /// <summary>With no conditions.</summary>
    Unconditional,
    /// <summary>As a goodwill gesture.</summary>
    Goodwill,
    /// <summary>As part of an exchange.</summary>
    Exchange,
    /// <summary>Under a negotiated deal.</summary>
    Negotiated,
}
/// <summary>The list a designation is on.</summary>
public enum DesignationList
{
    /// <summary>US Foreign Terrorist Organizations.</summary>
    FTO,
    /// <summary>US Specially Designated Global Terrorists.</summary>
    SDGT,
    /// <summary>US State Sponsors of Terrorism.</summary>
    StateSponsor,
    /// <summary>Any other list.</summary>
    Other,
}
/// <summary>The state of diplomatic relations between the parties.</summary>
public enum RelationsStatus
{
    /// <summary>Never established.</summary>
    None,
    /// <summary>Established and not severed.</summary>
    Established,
    /// <summary>Severed (recognition is not withdrawn by it).</summary>
    Severed,
}

/// <summary>
/// The level of one party's diplomatic representation in the other's capital, as the Correlates of War Diplomatic
/// Exchange data codes it (DR_at_1 / DR_at_2): 0 <see cref="None"/> (no representative), 1 <see cref="ChargeDAffaires"/>
/// (a chargé d'affaires heads the mission), 2 <see cref="Minister"/> (a minister or envoy), 3 <see cref="Ambassador"/>.
/// </summary>
public enum RepresentationLevel
{
    /// <summary>0: no representative.</summary>
    None,
    /// <summary>1: a chargé d'affaires heads the mission.</summary>
    ChargeDAffaires,
    /// <summary>2: a minister or envoy.</summary>
    Minister,
    /// <summary>3: an ambassador.</summary>
    Ambassador,
}
