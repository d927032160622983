namespace Normalization.Domain.Catalog;

public enum TalksLevel { Exploratory, Technical, Senior, Leaders }
public enum Tone { Positive, Neutral, Negative }
public enum RecognitionForm { DeFacto, DeJure }
public enum OfficeKind { Embassy, Consulate, LiaisonOffice, InterestsSection, RepresentativeOffice }
public enum DemandCategory { PrisonerRelease, AssetsUnfreeze, SanctionsRelief, Recognition, EquipmentReturn, Counterterrorism, Other }
public enum ReleaseTerms { Unconditional, Goodwill, Exchange, Negotiated }
public enum DesignationList { FTO, SDGT, StateSponsor, Other }
public enum RelationsStatus { None, Established, Severed }

/// <summary>
/// The level of one party's diplomatic representation in the other's capital, as the Correlates of War Diplomatic
/// Exchange data codes it (DR_at_1 / DR_at_2): 0 <see cref="None"/> (no representative), 1 <see cref="ChargeDAffaires"/>
/// (a chargé d'affaires heads the mission), 2 <see cref="Minister"/> (a minister or envoy), 3 <see cref="Ambassador"/>.
/// </summary>
public enum RepresentationLevel { None, ChargeDAffaires, Minister, Ambassador }
