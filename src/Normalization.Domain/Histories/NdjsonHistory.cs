using System.Text.Json;
using Normalization.Domain.Catalog;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Validation;

namespace Normalization.Domain.Histories;

/// <summary>A line of a history file with its problems, if any (line numbers start at 1).</summary>
/// <param name="Line">The line number, from 1.</param>
/// <param name="Path">The field path in the line.</param>
/// <param name="Code">The error code.</param>
/// <param name="Message">What to do.</param>
public sealed record LineError(int Line, string Path, string Code, string Message);

/// <summary>
/// The NDJSON history format: an optional first line declaring the negotiation
/// (<c>{"type":"NegotiationOpened","id":…,"title":…,"parties":…,"mediators":…,"baseline":…}</c>), then one flat event per line.
/// Reading streams line by line; nothing is loaded whole.
/// </summary>
public static class NdjsonHistory
{
    /// <summary>The longest line read, in characters (1 MiB).</summary>
    public const int MaxLineLength = 1 << 20;

    /// <summary>One line of a history file, parsed.</summary>
    /// <param name="Number">Its number, from 1.</param>
    /// <param name="Opening">The negotiation, when the line declares it.</param>
    /// <param name="Event">The event, when the line is one.</param>
    /// <param name="Errors">What is wrong with it (empty: nothing).</param>
    public sealed record Line(int Number, NegotiationOpened? Opening, NegotiationEvent? Event, IReadOnlyList<LineError> Errors)
    {
        /// <summary>
        /// The line is a declaring line (<c>"type":"NegotiationOpened"</c>), read or not: with errors (a month for
        /// <c>coveredUntil</c>, a bad baseline) <see cref="Opening"/> is null, yet the file does declare its negotiation, and
        /// an import that would create it from this line answers with those errors, not "the file does not declare it".
        /// </summary>
        public bool Declares { get; init; }
    }

    /// <summary>
    /// Reads lines lazily; each line is parsed structurally (catalog fields, types, enums). An event without an eventId gets
    /// the one an import gives it (<see cref="WithDerivedId"/>), so the package and the server name it alike.
    /// </summary>
    public static IEnumerable<Line> ReadLines(TextReader reader)
    {
        var number = 0;
        while (reader.ReadLine() is { } text)
        {
            number++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            yield return WithDerivedId(ParseLine(number, text), text);
        }
    }

    /// <summary>
    /// <paramref name="line"/>, its event given the id derived from its <paramref name="text"/> (<see cref="DerivedId"/>)
    /// when the line has none: the import's rule, so a file read twice, or read by the package and imported into a server,
    /// names its events alike (the ids a what-if removes), and a line repeated is the same event.
    /// </summary>
    public static Line WithDerivedId(Line line, string text) =>
        line.Event is { } e && e.EventId == Guid.Empty ? line with { Event = e with { EventId = DerivedId(text) } } : line;

    /// <summary>A stable id for an event given without one: a name-based GUID (SHA-256) of its text.</summary>
    public static Guid DerivedId(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text), hash);
        var bytes = hash[..16].ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x50); // version 5-like (name-based)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }

    /// <summary>Parses one line (<paramref name="number"/> from 1) structurally.</summary>
    public static Line ParseLine(int number, string text)
    {
        var errors = new List<FieldError>();
        if (text.Length > MaxLineLength)
            return new Line(number, null, null, [new LineError(number, "", "too_long", $"Line longer than {MaxLineLength} characters.")]);
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 32, AllowDuplicateProperties = false });
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == nameof(NegotiationOpened))
            {
                var opening = ReadOpening(root, errors);
                return new Line(number, errors.Count == 0 ? opening : null, null, errors.Select(e => new LineError(number, e.Path, e.Code, e.Message)).ToList()) { Declares = true };
            }
            var ev = EventReader.Read(root, "", errors);
            return new Line(number, null, errors.Count == 0 ? ev : null, errors.Select(e => new LineError(number, e.Path, e.Code, e.Message)).ToList());
        }
        catch (JsonException ex)
        {
            return new Line(number, null, null, [new LineError(number, "", "malformed_json", "Not valid JSON: " + (JsonQuotes.Advice(text, ex) ?? ex.Message))]);
        }
        catch (InvalidOperationException)
        {
            // A string with an unpaired surrogate escape (e.g. "\ud800") cannot be read as text.
            return new Line(number, null, null, [new LineError(number, "", "invalid_unicode", "The line holds a string that is not valid Unicode (an unpaired surrogate escape).")]);
        }
    }

    /// <summary>The opening line (<c>"type":"NegotiationOpened"</c>) by the same reader as the create body.</summary>
    public static NegotiationOpened? ReadOpening(JsonElement root, List<FieldError> errors) => NegotiationValidator.Read(root, errors, "type");

    /// <summary>
    /// Reads a whole file, validating every event against the negotiation (for small files and tests). An eventId used on
    /// an earlier line is the import's rule: the same event again is read once, another event under that id is
    /// <c>eventid_reused</c> at the later line (<see cref="EventContent"/>).
    /// </summary>
    public static (NegotiationOpened? Opening, List<NegotiationEvent> Events, List<LineError> Errors) ReadAll(TextReader reader, DateOnly today, NegotiationOpened? into = null)
    {
        var events = new List<NegotiationEvent>();
        var errors = new List<LineError>();
        var opening = into;
        BatchValidator? ctx = into is null ? null : new BatchValidator(new ValidationContext(into, today));
        // A closing on a line before its opening's waits for it; its event is kept in list order once accepted.
        var accepted = new Dictionary<int, NegotiationEvent>();
        var pending = new Dictionary<int, NegotiationEvent>();
        var byId = new Dictionary<Guid, NegotiationEvent>();
        foreach (var line in ReadLines(reader))
        {
            errors.AddRange(line.Errors);
            if (line.Opening is not null)
            {
                if (opening is null) { opening = line.Opening; ctx = new BatchValidator(new ValidationContext(opening, today)); }
                continue;
            }
            if (line.Event is null) continue;
            if (ctx is null) { errors.Add(new LineError(line.Number, "", "no_negotiation", "The first line must declare the negotiation (type NegotiationOpened).")); continue; }
            var e = line.Event.WithId();
            if (!byId.TryAdd(e.EventId, e))
            {
                // As an import judges it (FileJudgement): a repeat is read once; a reuse for another event is refused.
                if (!EventContent.Same(byId[e.EventId], e))
                    errors.Add(new LineError(line.Number, "eventId", "eventid_reused",
                        $"eventId {e.EventId} is already used on an earlier line for a different event: a new event needs a new eventId (or none)."));
                continue;
            }
            var fieldErrors = new List<(int Line, FieldError Error)>();
            if (ctx.Validate(e, "", line.Number, fieldErrors)) accepted[line.Number] = e; else pending[line.Number] = e;
            errors.AddRange(fieldErrors.Select(f => new LineError(f.Line, f.Error.Path, f.Error.Code, f.Error.Message)));
        }
        if (ctx is not null)
        {
            var held = new List<(int Line, FieldError Error)>();
            ctx.Finish(held);
            errors.AddRange(held.Select(f => new LineError(f.Line, f.Error.Path, f.Error.Code, f.Error.Message)));
        }
        // An event held and accepted later has no error of its own: it is kept, at its line.
        var refused = errors.Select(x => x.Line).ToHashSet();
        foreach (var (number, e) in pending) if (!refused.Contains(number) && ctx!.Context.Knows(e.EventId)) accepted[number] = e;
        events.AddRange(accepted.OrderBy(a => a.Key).Select(a => a.Value));
        return (opening, events, errors);
    }

    /// <summary>The declaring first line of a history for <paramref name="n"/>.</summary>
    public static string OpeningLine(NegotiationOpened n)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(EventJson.Serialize(n))!.AsObject();
        var result = new System.Text.Json.Nodes.JsonObject { ["type"] = nameof(NegotiationOpened) };
        foreach (var (k, v) in node.ToList()) { node.Remove(k); result[k] = v; }
        return result.ToJsonString();
    }
}
