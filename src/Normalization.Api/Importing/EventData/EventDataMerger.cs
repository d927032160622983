using System.Globalization;
using System.Text.Json.Nodes;
using Normalization.Domain.Catalog;
using Normalization.Domain.EventData;
using Normalization.Domain.Histories;

namespace Normalization.Api.Importing.EventData;

/// <summary>
/// How many independent sources make an event-data event how sure: 1 is <see cref="Confidence.Rumoured"/> — left out of
/// the stage by default (<c>FoldOptions.MinConfidence</c> is Reported), since a single machine-coded report is the case
/// most often wrong (a misread actor or verb); <see cref="Reported"/> (2) or more are <see cref="Confidence.Reported"/>,
/// the journalist's rule of two independent sources; <see cref="Confirmed"/> (5) or more are
/// <see cref="Confidence.Confirmed"/>: an event that widely reported is not a coding accident.
/// </summary>
public static class SourceConfidence
{
    public const int Reported = 2;
    public const int Confirmed = 5;

    public static Confidence Of(int independentSources) =>
        independentSources >= Confirmed ? Confidence.Confirmed : independentSources >= Reported ? Confidence.Reported : Confidence.Rumoured;
}

/// <summary>
/// Merges the rows of event data into events, as the field does: rows of the same day, dyad and mapped type (the mapping
/// row's type and fields; for a <see cref="MappingRow.Mutual"/> type the dyad in either direction) are one real event
/// reported many times. The event lists up to <see cref="MaxSources"/> sources (publisher and URL), its note names the rows
/// (the source's own ids) and codes, and its confidence comes from the number of independent sources
/// (<see cref="SourceConfidence"/>): the distinct publishers of its rows, or — when larger — the most sources GDELT counted
/// for one of them (<c>NumSources</c>). Its eventId is a name-based GUID of the negotiation, day, dyad and mapped type, so
/// importing the same file again, or a later one that overlaps it, finds the event already stored (a duplicate).
/// </summary>
public sealed class EventDataMerger(PartyMatcher parties, EventDataFormat format, EventDataTally tally)
{
    /// <summary>
    /// The most sources one event lists. Machine-coded data can repeat a big event in hundreds of rows; ten links are enough to
    /// check it, and the count of independent sources (the note, the confidence) still covers all of them.
    /// </summary>
    public const int MaxSources = 10;
    /// <summary>The most source ids the note names (then "and N more").</summary>
    public const int MaxIdsInNote = 20;

    sealed class Group(CodedRow first, MappingRow row)
    {
        public readonly CodedRow First = first;
        public readonly MappingRow Row = row;
        public readonly List<string> Ids = [];
        public readonly SortedSet<string> Codes = new(StringComparer.Ordinal);
        public readonly HashSet<string> Publishers = new(StringComparer.OrdinalIgnoreCase);
        public readonly List<Source> Sources = [];
        public int MaxNumSources;
    }

    readonly Dictionary<(DateOnly, string, int, int), Group> _groups = [];
    readonly HashSet<string> _ids = new(StringComparer.Ordinal);

    /// <summary>Adds a row between the parties: counted as repeated, unmapped, ignored, or merged into its event.</summary>
    public void Add(CodedRow r)
    {
        if (r.SourceId.Length > 0 && !_ids.Add(r.SourceId)) { tally.RepeatedIds++; return; }
        var row = r.Scheme == CodeScheme.Cameo ? EventDataMapping.ForCameo(r.Code) : EventDataMapping.ForPlover(r.Code, r.Mode);
        var shown = r.Scheme == CodeScheme.Cameo ? $"CAMEO {r.Code}" : $"PLOVER {r.Code}{(string.IsNullOrEmpty(r.Mode) ? "" : "/" + r.Mode)}";
        if (row is null) { Count(tally.Unmapped, shown); return; }
        if (!row.Maps) { Count(tally.Ignored, shown); return; }
        tally.MappedRows++;
        var (a, b) = row.Mutual && r.Actor > r.Target ? (r.Target, r.Actor) : (r.Actor, r.Target);
        var key = (r.Date, row.Type + row.Fields, a, b);
        if (!_groups.TryGetValue(key, out var g)) _groups[key] = g = new Group(r, row);
        g.Ids.Add(r.SourceId);
        g.Codes.Add(shown);
        g.MaxNumSources = Math.Max(g.MaxNumSources, r.NumSources);
        var host = r.Url is null ? null : EventDataReaders.HostOf(r.Url);
        var publisher = Clip(r.Publisher ?? host ?? r.Url ?? Dataset, 200) is { Length: > 0 } named ? named : Dataset;
        g.Publishers.Add(publisher);
        if (g.Sources.Count < MaxSources && !g.Sources.Any(s => s.Publisher == publisher && s.Url == UrlOf(r.Url, host)))
            g.Sources.Add(new Source { Publisher = publisher, Url = UrlOf(r.Url, host) });
    }

    /// <summary>The merged events in day order, each as the line of its first row, read by the same parser as NDJSON lines.</summary>
    public IEnumerable<NdjsonHistory.Line> Events(string negotiationId)
    {
        tally.Events = _groups.Count;
        foreach (var g in _groups.Values.OrderBy(g => g.First.Date).ThenBy(g => g.First.Line))
        {
            var actor = parties.Parties[g.First.Actor];
            var target = parties.Parties[g.First.Target];
            var (a, b) = g.Row.Mutual ? (string.CompareOrdinal(actor, target) < 0 ? (actor, target) : (target, actor)) : (actor, target);
            var day = g.First.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var eventId = HistoryFile.DerivedId($"event-data|{negotiationId}|{day}|{g.Row.Type}|{g.Row.Fields}|{a}|{b}");
            var independent = Math.Max(g.Publishers.Count, g.MaxNumSources);
            var json = new JsonObject
            {
                ["eventId"] = eventId.ToString(),
                ["occurredOn"] = day,
                ["actor"] = actor,
                ["target"] = target,
                ["confidence"] = SourceConfidence.Of(independent).ToString(),
                ["sources"] = new JsonArray(g.Sources.Select(s => (JsonNode)new JsonObject { ["publisher"] = s.Publisher, ["url"] = s.Url }).ToArray()),
                ["note"] = Note(g, independent),
            };
            var code = g.First.Scheme == CodeScheme.Cameo ? g.First.Code : g.Row.Code;
            foreach (var (name, value) in EventDataMapping.TypeFields(g.Row, actor, target, code, "ed-" + eventId.ToString("N")[..12]))
                json[name] = value?.DeepClone();
            yield return NdjsonHistory.ParseLine(g.First.Line, json.ToJsonString());
        }
    }

    string Note(Group g, int independent)
    {
        var ids = string.Join(", ", g.Ids.Where(i => i.Length > 0).Take(MaxIdsInNote).Select(i => Clip(i, 40)));
        var more = g.Ids.Count > MaxIdsInNote ? $" and {g.Ids.Count - MaxIdsInNote} more" : "";
        var idName = format == EventDataFormat.Gdelt ? "GLOBALEVENTID" : "Event ID";
        return $"{Dataset}: {g.Ids.Count} row(s) merged ({string.Join(", ", g.Codes)}); {idName} {ids}{more}; {independent} independent source(s).";
    }

    string Dataset => format switch { EventDataFormat.Gdelt => "GDELT", EventDataFormat.Icews => "ICEWS", _ => "POLECAT" };

    static string? UrlOf(string? url, string? host) => host is not null && url!.Length <= 2000 ? url : null;

    static string Clip(string s, int max)
    {
        var clean = new string(s.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return clean.Length > max ? clean[..max] : clean;
    }

    static void Count(SortedDictionary<string, int> counts, string code) => counts[code] = counts.GetValueOrDefault(code) + 1;
}
