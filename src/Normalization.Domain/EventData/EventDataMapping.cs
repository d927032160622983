using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Normalization.Domain.Catalog;

namespace Normalization.Domain.EventData;

/// <summary>The code book a row of machine-coded event data uses: CAMEO (GDELT, ICEWS) or PLOVER (POLECAT).</summary>
public enum CodeScheme
{
    /// <summary>CAMEO (GDELT, ICEWS).</summary>
    Cameo,
    /// <summary>PLOVER (POLECAT).</summary>
    Plover,
}

/// <summary>
/// One row of <see cref="EventDataMapping.Rows"/>: a CAMEO code (<c>046</c>) or a PLOVER event type, optionally with its mode
/// (<c>CONSULT</c>, <c>RETREAT/release</c>), and the catalog type it becomes — or <c>null</c> when the code is deliberately
/// ignored, with <see cref="Note"/> saying why.
/// </summary>
/// <param name="Scheme">Which code book the code is from: CAMEO or PLOVER.</param>
/// <param name="Code">The code as the source writes it (CAMEO digits such as <c>046</c>; PLOVER <c>TYPE</c> or <c>TYPE/mode</c>).</param>
/// <param name="Label">The code book's own label for the code (CAMEO 1.1b3 / PLOVER).</param>
/// <param name="Type">The catalog type the row becomes, or null when the code is deliberately ignored.</param>
/// <param name="Fields">
/// The type's own fields as a JSON object, with placeholders: <c>$actor</c> and <c>$target</c> (the parties' codes),
/// <c>$code</c> (the source's code) and <c>$ref</c> (a short id derived from the event's id, for fields such as
/// <c>demandId</c> that must be unique in the negotiation). The envelope (date, actor, target, sources, confidence) is the
/// importer's.
/// </param>
/// <param name="Mutual">
/// The act is one both parties take part in (talks, a signed agreement): rows in either direction of the dyad on the same
/// day merge into one event. Otherwise the direction (who acted on whom) is part of the event.
/// </param>
/// <param name="Note">Why a code is ignored, or what the mapping assumes (shown in docs/event-data.md).</param>
public sealed record MappingRow(CodeScheme Scheme, string Code, string Label, string? Type, string Fields, bool Mutual, string Note)
{
    /// <summary>Whether the code becomes an event (else it is ignored on purpose and counted by code).</summary>
    public bool Maps => Type is not null;

    /// <summary>The catalog's entry for <see cref="Type"/>: its Goldstein weight and PLOVER category come from there.</summary>
    public EventTypeInfo? Catalog => Type is not null && EventCatalog.TryGet(Type, out var info) ? info : null;
}

/// <summary>
/// The one table from CAMEO codes and PLOVER types to catalog types. It drives the event-data importer and is rendered as
/// the table of <c>docs/event-data.md</c> (a test fails when the doc is stale). To map another code, add one row.
/// <para>
/// Lookup: a CAMEO code is looked up as given, then — for a four-digit code without a row of its own — by its three-digit
/// base code (CAMEO's hierarchy: <c>1384</c> "threaten with military occupation" is a <c>138</c> — every four-digit code is a
/// kind of its base code, so a base row, which holds for every event its code covers, holds for it). A PLOVER type is looked
/// up with its mode (<c>RETREAT/release</c>) only: modes are not a hierarchy of the type (a misspelt or unknown
/// <c>SANCTION/lift</c> read as <c>SANCTION</c> would import the opposite of what was coded), so a mode without a row of its own
/// maps to nothing, and the type's row (<c>RETREAT</c>) answers a row without a mode. A code without a row maps to nothing:
/// both that and an ignored row are counted by code in the import report, never dropped silently.
/// </para>
/// <para>
/// The choice of rows is conservative: a code maps only when the catalog type's meaning holds for every event the code
/// covers and its required fields can be filled from the row. Where the code is broader than any type (<c>050</c> "engage in
/// diplomatic cooperation" is not "relations established"), it is ignored with the reason.
/// </para>
/// </summary>
public static class EventDataMapping
{
    const string Talks = """{"participants":["$actor","$target"]}""";
    const string Unnamed = "unnamed (event data, code $code)";

    /// <summary>The one mapping table from event-data codes to catalog types (docs/event-data.md is generated from it).</summary>
    public static readonly IReadOnlyList<MappingRow> Rows =
    [
        // CAMEO 01 Make public statement / 05 diplomatic cooperation / 11 disapprove: statements, with their tone.
        Cameo("010", "Make statement, not specified below", nameof(StatementIssued), """{"tone":"Neutral"}"""),
        Cameo("012", "Make pessimistic comment", nameof(StatementIssued), """{"tone":"Negative"}"""),
        Cameo("013", "Make optimistic comment", nameof(StatementIssued), """{"tone":"Positive"}"""),
        Cameo("051", "Praise or endorse", nameof(StatementIssued), """{"tone":"Positive"}"""),
        Cameo("111", "Criticize or denounce", nameof(StatementIssued), """{"tone":"Negative"}"""),
        // CAMEO 02 Appeal, 03 Express intent
        Ignored(CodeScheme.Cameo, "022", "Appeal for diplomatic cooperation",
            "RecognitionRequested or OfficeRequested: the code does not say which."),
        Ignored(CodeScheme.Cameo, "032", "Express intent to engage in diplomatic cooperation", "EnvoyAppointed needs the envoy's name."),
        // CAMEO 04 Consult: meetings are talks; a phone call or an unspecified consultation is not a meeting.
        Ignored(CodeScheme.Cameo, "040", "Consult, not specified below", "Unspecified: often a call or talks announced, not held."),
        Ignored(CodeScheme.Cameo, "041", "Discuss by telephone", "TalksHeld means representatives met."),
        Cameo("042", "Make a visit", nameof(TalksHeld), Talks, mutual: true),
        Cameo("043", "Host a visit", nameof(TalksHeld), Talks, mutual: true),
        Cameo("044", "Meet at a third location", nameof(TalksHeld), Talks, mutual: true),
        Ignored(CodeScheme.Cameo, "045", "Mediate", "A third party's act; the parties' own talks are 042–046."),
        Cameo("046", "Engage in negotiation", nameof(TalksHeld), Talks, mutual: true),
        // CAMEO 05 Engage in diplomatic cooperation
        Ignored(CodeScheme.Cameo, "050", "Engage in diplomatic cooperation, not specified below",
            "Far broader than RelationsEstablished (which means full relations)."),
        Cameo("054", "Grant diplomatic recognition", nameof(RecognitionGranted), """{"form":"DeFacto"}""",
            note: "DeFacto: the code does not say de jure; record de jure recognition by hand."),
        Cameo("057", "Sign formal agreement", nameof(AgreementSigned),
            """{"name":"Agreement (event data, code $code)","signatories":["$actor","$target"]}""", mutual: true),
        // CAMEO 07 Provide aid
        Cameo("070", "Provide aid, not specified below", nameof(AidProvided)),
        Cameo("071", "Provide economic aid", nameof(AidProvided), """{"purpose":"Economic aid"}"""),
        Cameo("072", "Provide military aid", nameof(AidProvided), """{"purpose":"Military aid"}"""),
        Cameo("073", "Provide humanitarian aid", nameof(AidProvided), """{"purpose":"Humanitarian aid"}"""),
        // CAMEO 08 Yield
        Ignored(CodeScheme.Cameo, "081", "Ease administrative sanctions",
            "RewardRescinded or DesignationRemoved: the code does not say which, nor name the people."),
        Cameo("0841", "Return, release person(s)", nameof(PrisonerReleased), $$"""{"person":"{{Unnamed}}"}"""),
        Cameo("0842", "Return, release property", nameof(AssetsUnfrozen)),
        Cameo("085", "Ease economic sanctions, boycott, embargo", nameof(SanctionsEased), """{"scope":"As coded by event data (code $code)"}"""),
        Cameo("0874", "Retreat or surrender militarily", nameof(TroopsWithdrawn)),
        // CAMEO 10 Demand
        Cameo("1053", "Demand release of persons or property", nameof(DemandMade),
            """{"demandId":"$ref","subject":"Release of persons or property (event data, code $code)","category":"PrisonerRelease"}"""),
        Cameo("1054", "Demand easing of economic sanctions, boycott, or embargo", nameof(DemandMade),
            """{"demandId":"$ref","subject":"Easing of sanctions (event data, code $code)","category":"SanctionsRelief"}"""),
        Ignored(CodeScheme.Cameo, "112", "Accuse, not specified below", "CommitmentBreached needs the commitment's id."),
        // CAMEO 13 Threaten
        Cameo("130", "Threaten, not specified below", nameof(ThreatIssued)),
        Cameo("138", "Threaten with military force", nameof(ThreatIssued)),
        // CAMEO 16 Reduce relations, 17 Coerce, 18 Assault, 19 Fight
        Ignored(CodeScheme.Cameo, "161", "Reduce or break diplomatic relations",
            "Covers recalls, expulsions, downgrades and breaks alike; the code does not say which, nor the level left, so no one catalog type (AmbassadorRecalled, DiplomatsExpelled, RelationsDowngraded, RelationsSevered) can be chosen."),
        Cameo("163", "Impose embargo, boycott, or sanctions", nameof(SanctionsImposed), """{"scope":"As coded by event data (code $code)"}"""),
        Cameo("1711", "Confiscate property", nameof(AssetsFrozen)),
        Cameo("173", "Arrest, detain, or charge with legal action", nameof(PersonDetained), $$"""{"person":"{{Unnamed}}"}"""),
        Cameo("181", "Abduct, hijack, or take hostage", nameof(PersonDetained), $$"""{"person":"{{Unnamed}}"}"""),
        Cameo("183", "Conduct suicide, car, or other non-military bombing", nameof(AttackOccurred)),
        Cameo("190", "Use conventional military force, not specified below", nameof(MilitaryStrike)),
        Cameo("193", "Fight with small arms and light weapons", nameof(MilitaryStrike)),
        Cameo("194", "Fight with artillery and tanks", nameof(MilitaryStrike)),
        Cameo("195", "Employ aerial weapons", nameof(MilitaryStrike)),

        // PLOVER (POLECAT): event type, optionally /mode.
        Plover("CONSULT", "Consult", nameof(TalksHeld), Talks, mutual: true),
        Plover("CONSULT/visit", "Consult: visit", nameof(TalksHeld), Talks, mutual: true),
        Ignored(CodeScheme.Plover, "CONSULT/third-party", "Consult: through a third party", "Through a mediator the parties may not have met (proximity talks); TalksHeld means they did."),
        Plover("CONSULT/multilateral", "Consult: multilateral", nameof(TalksHeld), Talks, mutual: true),
        Ignored(CodeScheme.Plover, "CONSULT/phone", "Consult by phone", "TalksHeld means representatives met."),
        Ignored(CodeScheme.Plover, "AGREE", "Agree", "An intent or an agreement in principle; no catalog type says which."),
        Ignored(CodeScheme.Plover, "SUPPORT", "Support", "Covers praise, recognition and diplomatic cooperation alike."),
        Ignored(CodeScheme.Plover, "CONCEDE", "Concede", "Which concession (and for which demand) is not coded."),
        Ignored(CodeScheme.Plover, "COOPERATE", "Cooperate", "Material cooperation of no catalog type."),
        Plover("AID", "Aid", nameof(AidProvided)),
        Ignored(CodeScheme.Plover, "RETREAT", "Retreat", "Only the modes below say what was given up."),
        Plover("RETREAT/release", "Retreat: release persons", nameof(PrisonerReleased), $$"""{"person":"{{Unnamed}}"}"""),
        Plover("RETREAT/return", "Retreat: return property", nameof(AssetsUnfrozen)),
        Plover("RETREAT/withdraw", "Retreat: withdraw", nameof(TroopsWithdrawn)),
        Ignored(CodeScheme.Plover, "REQUEST", "Request", "A request names no demand the ledger could track."),
        Plover("ACCUSE/disapprove", "Accuse: disapprove", nameof(StatementIssued), """{"tone":"Negative"}"""),
        Ignored(CodeScheme.Plover, "REJECT", "Reject", "DemandRefused needs the demand refused."),
        Plover("THREATEN", "Threaten", nameof(ThreatIssued)),
        Plover("SANCTION", "Sanction", nameof(SanctionsImposed), """{"scope":"As coded by event data (code $code)"}"""),
        Plover("SANCTION/expel", "Sanction: expel", nameof(DiplomatsExpelled)),
        Ignored(CodeScheme.Plover, "SANCTION/withdraw", "Sanction: withdraw", "Withdrawing representation: the mode does not say whether an envoy was recalled or relations were downgraded, nor the level left."),
        Plover("COERCE/arrest", "Coerce: arrest", nameof(PersonDetained), $$"""{"person":"{{Unnamed}}"}"""),
        Plover("COERCE/seize", "Coerce: seize", nameof(AssetsFrozen)),
        Plover("ASSAULT", "Assault", nameof(AttackOccurred)),
        Plover("ASSAULT/explosives", "Assault: explosives", nameof(AttackOccurred)),
        Plover("ASSAULT/firearms", "Assault: firearms", nameof(AttackOccurred)),
        Plover("ASSAULT/abduct", "Assault: abduct", nameof(PersonDetained), $$"""{"person":"{{Unnamed}}"}"""),
        Plover("ASSAULT/aerial", "Assault: aerial weapons", nameof(MilitaryStrike)),
        Plover("ASSAULT/drone", "Assault: drone", nameof(MilitaryStrike)),
    ];

    static readonly FrozenDictionary<(CodeScheme, string), MappingRow> ByCode =
        Rows.ToFrozenDictionary(r => (r.Scheme, r.Code.ToUpperInvariant()));

    /// <summary>
    /// The last base code of each CAMEO root, 01 … 20 (CAMEO 1.1b3 as GDELT publishes it in <c>CAMEO.eventcodes.txt</c>, with
    /// the later 155 and 176): a base code is its root's two digits and a third up to this one (<c>046</c> is the last of 04).
    /// </summary>
    static readonly string[] LastBaseCode =
        ["019", "028", "039", "046", "057", "064", "075", "087", "094", "108", "116", "129", "139", "145", "155", "166", "176", "186", "196", "204"];

    /// <summary>
    /// Whether <paramref name="code"/> (leading zeros already put back) can be a CAMEO code: three digits, a root 01–20 and a
    /// base code its root has (<see cref="LastBaseCode"/>), or four digits, such a base code and a last digit 1–9. Anything
    /// else — empty, letters (<c>1A</c>), one digit (<c>0</c>), a root past 20, a base code no root has (<c>0999</c>, which
    /// <c>999</c> reads as) — is no code at all: the import names the row and column instead of counting it as unmapped, since
    /// "no row in the table" would tell the user the table lacks a code when the file holds a fault.
    /// </summary>
    public static bool IsCameoCode(string code)
    {
        if (code.Length is not (3 or 4) || !code.All(char.IsAsciiDigit)) return false;
        var root = (code[0] - '0') * 10 + (code[1] - '0');
        if (root is < 1 or > 20) return false;
        if (string.CompareOrdinal(code[..3], LastBaseCode[root - 1]) > 0) return false;
        return code.Length == 3 || code[3] != '0';
    }

    /// <summary>The row for a CAMEO code: the code's own, else (four digits) its three-digit base code's; null when neither has one.</summary>
    public static MappingRow? ForCameo(string code)
    {
        if (ByCode.TryGetValue((CodeScheme.Cameo, code), out var row)) return row;
        return code.Length == 4 && ByCode.TryGetValue((CodeScheme.Cameo, code[..3]), out var parent) ? parent : null;
    }

    /// <summary>
    /// The row for a PLOVER type and mode (case-insensitive): the mode's own row; without a mode (empty), the type's. Null when
    /// that has none — a mode the table does not know is not read as its type (it may mean the opposite: <c>SANCTION/lift</c>).
    /// </summary>
    public static MappingRow? ForPlover(string type, string? mode)
    {
        var t = type.Trim().ToUpperInvariant();
        var code = string.IsNullOrWhiteSpace(mode) ? t : $"{t}/{mode.Trim().ToUpperInvariant()}";
        return ByCode.TryGetValue((CodeScheme.Plover, code), out var row) ? row : null;
    }

    /// <summary>
    /// The flat event JSON for <paramref name="row"/>: <c>type</c> and the row's fields with the placeholders filled. The caller
    /// adds the envelope (eventId, occurredOn, actor, target, confidence, sources, note).
    /// </summary>
    public static JsonObject TypeFields(MappingRow row, string actor, string target, string code, string reference)
    {
        if (row.Type is null) throw new ArgumentException($"Row {row.Code} maps to nothing.", nameof(row));
        var fields = (JsonObject)JsonNode.Parse(row.Fields)!;
        var result = new JsonObject { ["type"] = row.Type };
        foreach (var (name, value) in fields.ToList())
            result[name] = Fill(value, actor, target, code, reference);
        return result;
    }

    static JsonNode? Fill(JsonNode? node, string actor, string target, string code, string reference) => node switch
    {
        JsonArray a => new JsonArray(a.Select(i => Fill(i, actor, target, code, reference)).ToArray()),
        JsonValue v when v.TryGetValue<string>(out var s) => JsonValue.Create(s == "$actor" ? actor : s == "$target" ? target
            : s.Replace("$code", code, StringComparison.Ordinal).Replace("$ref", reference, StringComparison.Ordinal)),
        _ => node?.DeepClone(),
    };

    static MappingRow Cameo(string code, string label, string type, string fields = "{}", bool mutual = false, string note = "") =>
        new(CodeScheme.Cameo, code, label, type, fields, mutual, note);

    static MappingRow Plover(string code, string label, string type, string fields = "{}", bool mutual = false, string note = "") =>
        new(CodeScheme.Plover, code, label, type, fields, mutual, note);

    static MappingRow Ignored(CodeScheme scheme, string code, string label, string why) => new(scheme, code, label, null, "{}", false, why);
}
