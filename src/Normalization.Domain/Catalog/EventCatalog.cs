using System.Collections.Frozen;

namespace Normalization.Domain.Catalog;

/// <summary>The JSON kind of an event field.</summary>
public enum FieldKind
{
    /// <summary>Text.</summary>
    String,
    /// <summary>A whole number.</summary>
    Integer,
    /// <summary>A decimal number.</summary>
    Number,
    /// <summary>One of the listed names (<see cref="FieldSpec.EnumValues"/>).</summary>
    Enum,
    /// <summary>A date: <c>YYYY</c>, <c>YYYY-MM</c> or <c>YYYY-MM-DD</c>.</summary>
    Date,
    /// <summary>An event id.</summary>
    Guid,
    /// <summary>A list of strings.</summary>
    StringArray,
    /// <summary>A list of objects (<see cref="FieldSpec.ItemFields"/>).</summary>
    ObjectArray,
    /// <summary>A whole flat event (a correction's replacement).</summary>
    Event,
}

/// <summary>
/// The shape a string (or each item of a string array) must have beyond the text rules: free <see cref="Text"/>, a
/// <see cref="PartyCode"/> (<c>US</c>, <c>ISIS-K</c>: <c>invalid_party_code</c>) or an ISO 3166 alpha-2
/// <see cref="CountryCode"/> (<c>US</c>, <c>AF</c>: <c>invalid_country_code</c>), or a <see cref="LanguageTag"/>: a BCP 47 tag
/// reduced to an ISO 639 language and an optional ISO 3166 region (<c>fr</c>, <c>fr-FR</c>, <c>ps-AF</c>:
/// <c>invalid_language_tag</c>), or an <see cref="HttpUrl"/>: an absolute http or https address (a source's <c>url</c>:
/// <c>invalid_url</c>). A list of codes holds each code once (<c>duplicate_item</c>). A <see cref="FieldKind.Date"/> with
/// the <see cref="Day"/> format is one day, <c>YYYY-MM-DD</c> only (<c>invalid_date</c> for a month or year: a
/// <c>RecordReviewed</c>'s <c>coveredUntil</c>, as at <c>PUT …/coverage</c> and create).
/// </summary>
public enum FieldFormat
{
    /// <summary>Free text.</summary>
    Text,
    /// <summary>A party code.</summary>
    PartyCode,
    /// <summary>An ISO 3166 alpha-2 code.</summary>
    CountryCode,
    /// <summary>An ISO 639 language with an optional region.</summary>
    LanguageTag,
    /// <summary>An absolute http(s) address.</summary>
    HttpUrl,
    /// <summary>One day, <c>YYYY-MM-DD</c> only.</summary>
    Day,
}

/// <summary>
/// One field of an event type, as a client sees it (drives validation, generated forms and the generated fuzz).
/// <paramref name="MaxLength"/> is in UTF-16 characters; <paramref name="Multiline"/> text may hold line breaks and
/// tabs inside (never at its ends). An optional field sent as <c>null</c> is the same as a missing one.
/// Numbers (<see cref="FieldKind.Integer"/>, <see cref="FieldKind.Number"/>) run from 0 to <see cref="Max"/>
/// (<c>out_of_range</c>) with at most <see cref="Decimals"/> decimal places (<c>too_precise</c>); the bounds are chosen
/// so that no sum the fold makes can overflow (docs/reliability.md, "Input rules").
/// </summary>
/// <param name="Name">The JSON name (camelCase).</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Required">Whether it must be given.</param>
/// <param name="Description">What it means.</param>
/// <param name="EnumValues">The allowed names of an enum field.</param>
/// <param name="ItemFields">The fields of each object of an object array.</param>
/// <param name="MaxLength">The longest text, in UTF-16 characters.</param>
/// <param name="Multiline">Whether line breaks may be inside.</param>
/// <param name="Max">The largest number (null: the kind's).</param>
/// <param name="Decimals">The most decimal places.</param>
/// <param name="Format">The shape a string (or each item of a string array) must have beyond the text rules: free text, a party code (<c>invalid_party_code</c>), an ISO 3166 alpha-2 country code (<c>invalid_country_code</c>), a language tag (<c>invalid_language_tag</c>), an absolute http(s) address (<c>invalid_url</c>), or one day, <c>YYYY-MM-DD</c> only (<c>invalid_date</c>).</param>
public sealed record FieldSpec(string Name, FieldKind Kind, bool Required, string Description,
    IReadOnlyList<string>? EnumValues = null, IReadOnlyList<FieldSpec>? ItemFields = null, int MaxLength = 500, bool Multiline = false,
    decimal? Max = null, int Decimals = 0, FieldFormat Format = FieldFormat.Text)
{
    /// <summary>The largest number a client may send: the field's own <see cref="Max"/>, else the kind's.</summary>
    public decimal NumberMax => Max ?? (Kind == FieldKind.Number ? EventCatalog.MaxAmount : EventCatalog.MaxCount);
}

/// <summary>The families of the catalog (docs/event-catalog.md), in the order the catalog lists them.</summary>
public enum EventFamily
{
    /// <summary>Talks, statements, envoys.</summary>
    Contacts,
    /// <summary>Requests, demands and their answers.</summary>
    RequestsAndDemands,
    /// <summary>Cooperative gestures.</summary>
    GesturesAndConcessions,
    /// <summary>Agreements, offices, recognition, relations, representation.</summary>
    Structure,
    /// <summary>Detentions, sanctions, designations, threats, strikes, attacks.</summary>
    PressureAndConflict,
    /// <summary>Third-party recognitions, reports.</summary>
    Context,
    /// <summary>Record keeping: retractions, corrections, reviews.</summary>
    Corrections,
}

/// <summary>How a type relates to the two principal parties; checked by validation.</summary>
public enum PartyRule
{
    /// <summary>Any actor; target optional and any.</summary>
    Any,
    /// <summary>Actor is a principal; target, if given, is the other principal.</summary>
    PrincipalActor,
    /// <summary>Actor and target are the two principals (target required).</summary>
    BetweenPrincipals,
    /// <summary>Actor is anyone; target is required and is a principal.</summary>
    PrincipalTarget,
    /// <summary>Actor is a third party (not a principal); target is a principal.</summary>
    ThirdPartyOnPrincipal,
}

/// <summary>Everything the product knows about one event type: meaning, fields, event-data codes and stage effect.</summary>
/// <param name="Name">The type name.</param>
/// <param name="ClrType">The record type.</param>
/// <param name="Family">Its family.</param>
/// <param name="Meaning">What it records.</param>
/// <param name="StageEffect">What it does to the stage and the ledger.</param>
/// <param name="Cameo">Its CAMEO code.</param>
/// <param name="CameoLabel">The CAMEO label.</param>
/// <param name="Goldstein">Its momentum weight (−10 … +10).</param>
/// <param name="Plover">Its PLOVER category.</param>
/// <param name="Parties">How actor and target relate to the parties (validation).</param>
/// <param name="Fields">Its own fields, beyond the envelope.</param>
/// <param name="SameDayRank">Its rank among events of one day (domain order).</param>
public sealed record EventTypeInfo(
    string Name, Type ClrType, EventFamily Family, string Meaning, string StageEffect,
    string Cameo, string CameoLabel, double Goldstein, string Plover, PartyRule Parties,
    IReadOnlyList<FieldSpec> Fields, int SameDayRank);

/// <summary>The event catalog: every event type with its meaning, fields, CAMEO and PLOVER codes, Goldstein weight and stage effect (docs/event-catalog.md is generated from it).</summary>
public static partial class EventCatalog
{
    static readonly string[] Levels = Enum.GetNames<TalksLevel>();
    static readonly string[] Tones = Enum.GetNames<Tone>();
    static readonly string[] Forms = Enum.GetNames<RecognitionForm>();
    static readonly string[] OfficeKinds = Enum.GetNames<OfficeKind>();
    static readonly string[] Categories = Enum.GetNames<DemandCategory>();
    static readonly string[] Terms = Enum.GetNames<ReleaseTerms>();
    static readonly string[] Lists = Enum.GetNames<DesignationList>();
    static readonly string[] RepresentationLevels = Enum.GetNames<RepresentationLevel>();

    static FieldSpec Str(string n, bool req, string d, int max = 500) => new(n, FieldKind.String, req, d, MaxLength: max);
    /// <summary>Free text that may run over several lines (quotes, notes, summaries).</summary>
    static FieldSpec Text(string n, bool req, string d, int max) => new(n, FieldKind.String, req, d, MaxLength: max, Multiline: true);
    static FieldSpec En(string n, bool req, string d, string[] values) => new(n, FieldKind.Enum, req, d, values);
    /// <summary>An amount of money in US dollars: 0 to <see cref="MaxAmount"/>, in cents at most.</summary>
    static FieldSpec Num(string n, string d) => new(n, FieldKind.Number, false, d, Max: MaxAmount, Decimals: 2);
    /// <summary>A count of people: 0 to <see cref="MaxCount"/>.</summary>
    static FieldSpec Count(string n, string d) => new(n, FieldKind.Integer, false, d, Max: MaxCount);
    /// <summary>A list of party codes, each once.</summary>
    static FieldSpec Codes(string n, bool req, string d) => new(n, FieldKind.StringArray, req, d, MaxLength: 16, Format: FieldFormat.PartyCode);
    /// <summary>The code of one party (<c>US</c>, <c>QA</c>, <c>ISIS-K</c>).</summary>
    static FieldSpec Party(string n, bool req, string d) => new(n, FieldKind.String, req, d, MaxLength: 16, Format: FieldFormat.PartyCode);
    /// <summary>An ISO 3166 alpha-2 country code (<c>US</c>, <c>AF</c>).</summary>
    static FieldSpec Country(string n, bool req, string d) => new(n, FieldKind.String, req, d, MaxLength: 2, Format: FieldFormat.CountryCode);

    /// <summary>
    /// The largest amount of money (US dollars) one event may carry: 10^15, with at most 2 decimal places (cents).
    /// A party's frozen-asset total is the only sum of amounts the fold makes; <see cref="decimal"/> holds about
    /// 7.9 × 10^28, so it cannot overflow below 7.9 × 10^13 events (and the fold saturates rather than throws).
    /// </summary>
    public const decimal MaxAmount = 1_000_000_000_000_000m;
    /// <summary>The largest count (people killed) one event may carry: 10,000,000. Counts are never summed.</summary>
    public const decimal MaxCount = 10_000_000m;

    /// <summary>The envelope fields every event carries.</summary>
    public static readonly IReadOnlyList<FieldSpec> EnvelopeFields =
    [
        new("eventId", FieldKind.Guid, false, "Client-chosen GUID; makes the append idempotent. Generated when absent."),
        new("type", FieldKind.String, true, "The event type name."),
        new("occurredOn", FieldKind.Date, true, "When it happened: YYYY-MM-DD, YYYY-MM or YYYY; counts as happened by the end of that period."),
        Party("actor", true, "Code of the party that acted (e.g. US, TB, QA, ISIS-K)."),
        Party("target", false, "Code of the party it was aimed at, where there is one."),
        new("confidence", FieldKind.Enum, false, "How sure the record is. Default Reported.", Enum.GetNames<Confidence>()),
        new("sources", FieldKind.ObjectArray, false, "Where the fact comes from.", ItemFields:
        [
            Str("publisher", true, "Who published it (e.g. CNN)."),
            Str("url", false, "Link to the publication (http or https).", 2000) with { Format = FieldFormat.HttpUrl },
            new("publishedOn", FieldKind.Date, false, "Publication date: as occurredOn, not after today (in_future) nor before 1900-01-01 (out_of_range), nor more than a day before the event it reports may have happened (before_event: dates are local)."),
            Str("attribution", false, "The publication's own attribution, e.g. 'sources familiar with the talks'."),
            Text("quote", false, "The source's words in the record's language (English), translated where the source is not.", 4000),
            Text("originalQuote", false, "The same words as the source wrote them, in its own language (needs originalLanguage).", 4000),
            new("originalLanguage", FieldKind.String, false, "The language of originalQuote: ISO 639 code with an optional region (fr, fr-FR, ps-AF).",
                MaxLength: 6, Format: FieldFormat.LanguageTag),
        ]),
        Text("note", false, "Free text.", 4000),
    ];

    /// <summary>Every event type, in catalog order.</summary>
    public static readonly IReadOnlyList<EventTypeInfo> All = Build();
    static readonly FrozenDictionary<string, EventTypeInfo> ByName = All.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);
    static readonly FrozenDictionary<Type, EventTypeInfo> ByType = All.ToFrozenDictionary(t => t.ClrType);

    /// <summary>The type names, in catalog order.</summary>
    public static IEnumerable<string> Names => All.Select(t => t.Name);
    /// <summary>The type named <paramref name="name"/> (exact, case-sensitive), if any.</summary>
    public static bool TryGet(string name, out EventTypeInfo info) => ByName.TryGetValue(name, out info!);
    /// <summary>The catalog entry of an event's type.</summary>
    public static EventTypeInfo Of(NegotiationEvent e) => ByType[e.GetType()];
    /// <summary>The catalog entry of a CLR event type.</summary>
    public static EventTypeInfo Of(Type t) => ByType[t];

    /// <summary>
    /// Whether <paramref name="e"/> keeps the record rather than states a fact of the negotiation: the
    /// <see cref="EventFamily.Corrections"/> family — a retraction, a correction, a review of how far the record reaches.
    /// The fold gives them no stage, ledger, momentum or count; so every view that counts or lists the negotiation's events
    /// (the record summary, the CAMEO/PLOVER rows) leaves them out too, by this one test.
    /// </summary>
    public static bool IsRecordKeeping(NegotiationEvent e) => Of(e).Family == EventFamily.Corrections;

    /// <summary>The names of the <see cref="IsRecordKeeping"/> types, for the store's index queries.</summary>
    public static readonly IReadOnlyList<string> RecordKeepingTypes = All.Where(t => t.Family == EventFamily.Corrections).Select(t => t.Name).ToArray();

    /// <summary>The Goldstein weight of one event (a few types vary with their fields).</summary>
    public static double GoldsteinOf(NegotiationEvent e) => e switch
    {
        StatementIssued { Tone: Tone.Positive } => 0.4,
        StatementIssued { Tone: Tone.Negative } => -0.4,
        StatementIssued => 0.0,
        _ => Of(e).Goldstein,
    };

    /// <summary>The event's CAMEO code (a statement's depends on its tone).</summary>
    public static string CameoOf(NegotiationEvent e) => e switch
    {
        StatementIssued { Tone: Tone.Positive } => "013",
        StatementIssued { Tone: Tone.Negative } => "012",
        StatementIssued => "010",
        DemandMade { Category: DemandCategory.SanctionsRelief or DemandCategory.AssetsUnfreeze } => "1054",
        DemandMade { Category: DemandCategory.PrisonerRelease or DemandCategory.EquipmentReturn } => "1053",
        _ => Of(e).Cameo,
    };

    static EventTypeInfo T<TEvent>(EventFamily f, string meaning, string stage, string cameo, string label, double g, string plover,
        PartyRule parties, int rank, params FieldSpec[] fields) where TEvent : NegotiationEvent =>
        new(typeof(TEvent).Name, typeof(TEvent), f, meaning, stage, cameo, label, g, plover, parties, fields, rank);
}
