namespace Normalization.Domain.Catalog;

public enum TalksLevel { Exploratory, Technical, Senior, Leaders }
public enum Tone { Positive, Neutral, Negative }
public enum RecognitionForm { DeFacto, DeJure }
public enum OfficeKind { Embassy, Consulate, LiaisonOffice, InterestsSection, RepresentativeOffice }
public enum DemandCategory { PrisonerRelease, AssetsUnfreeze, SanctionsRelief, Recognition, EquipmentReturn, Counterterrorism, Other }
public enum ReleaseTerms { Unconditional, Goodwill, Exchange, Negotiated }
public enum DesignationList { FTO, SDGT, StateSponsor, Other }
public enum RelationsStatus { None, Established, Severed }
