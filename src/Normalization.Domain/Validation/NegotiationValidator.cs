using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Normalization.Domain.Catalog;
using Normalization.Domain.Negotiations;

namespace Normalization.Domain.Validation;

/// <summary>Checks of a negotiation's own fields (id, parties, mediators, baseline).</summary>
public static partial class NegotiationValidator
{
    [GeneratedRegex(@"\A[a-z0-9](?:[a-z0-9-]{1,62})[a-z0-9]\z")]
    private static partial Regex Slug();

    /// <summary>Whether <paramref name="id"/> is a slug: 3–64 lower-case letters, digits and single hyphens, not at either end.</summary>
    public static bool IsValidId(string? id) => id is not null && Slug().IsMatch(id) && !id.Contains("--");

    static readonly string[] Allowed = ["id", "title", "parties", "mediators", "baseline", "coveredUntil", "tags"];

    /// <summary>
    /// Reads a negotiation (the create body, or an import's opening line, whose <paramref name="alsoAllowed"/> adds
    /// <c>type</c>) by the input rules of docs/reliability.md: <c>null</c> is the same as a missing field; every field
    /// at every depth is one the contract knows (<c>unknown_field</c> with its path, names exact); each value has its JSON
    /// type (<c>wrong_type</c>; a date that does not read is <c>invalid_date</c>, as everywhere); enums are exact names
    /// (<c>unknown_value</c>); a null list item is <c>required</c>; then <see cref="Validate"/>. <b>Every</b> error at once:
    /// a value found wrong is reported and left out, the rest is still read and validated, and <see cref="Validate"/>'s
    /// errors at (or under) a path already reported are not repeated. Never throws. Whether <c>coveredUntil</c> is after
    /// today is a rule against the day, not the shape: the caller asks <see cref="Validate"/> with today (create answers 422).
    /// </summary>
    public static NegotiationOpened? Read(JsonElement body, List<FieldError> errors, params string[] alsoAllowed)
    {
        var before = errors.Count;
        if (body.ValueKind != JsonValueKind.Object) { errors.Add(new("", "not_an_object", "A negotiation must be a JSON object.")); return null; }
        var node = WithoutNulls(JsonNode.Parse(body.GetRawText())!).AsObject();
        foreach (var name in alsoAllowed) node.Remove(name);
        foreach (var (name, _) in node.ToList())
            if (!Allowed.Contains(name, StringComparer.Ordinal))
            {
                errors.Add(new(name, "unknown_field", $"Unknown field '{Cut(name)}'. Allowed: {string.Join(", ", Allowed)}."));
                node.Remove(name);
            }
        if (!node.ContainsKey("id")) errors.Add(new("id", "required", "id is required."));
        // Missing or null (the same here) is `required`, as for any required field (docs/api.md); Validate's exactly_two at
        // the same path is then not repeated.
        if (!node.ContainsKey("parties")) errors.Add(new("parties", "required", "parties is required: exactly two parties."));
        CheckShape(node, typeof(NegotiationOpened), "", errors);
        var reported = errors.Skip(before).Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        try
        {
            var opening = node.Deserialize<NegotiationOpened>(EventJson.Options)!;
            opening = opening with { Tags = opening.Tags ?? [], Parties = opening.Parties ?? [], Mediators = opening.Mediators ?? [], Baseline = opening.Baseline ?? new Baseline(), Title = opening.Title ?? "", Id = opening.Id ?? "" };
            errors.AddRange(Validate(opening).Where(e => !IsAtOrUnder(e.Path, reported)));
            return errors.Count > before ? null : opening;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or FormatException)
        {
            // Not expected once CheckShape has left out every value of the wrong type; kept so a gap is a 400, not a 500.
            var at = ex is JsonException { Path: { } p } ? p.TrimStart('$').TrimStart('.') : "";
            if (!IsAtOrUnder(at, reported))
                errors.Add(new(at, "wrong_type", "This field has the wrong type (a string, number, array or object where another is expected)."));
            return null;
        }
    }

    /// <summary>
    /// True when <paramref name="path"/> is one of <paramref name="reported"/> or a field or item inside one ("" covers
    /// everything). Looks up each of the path's prefixes that ends at a '.' or '[' — work grows with the path, not with the
    /// number of errors (a 1 MiB body can carry ~100,000 bad items; comparing every error with every reported path hung).
    /// </summary>
    static bool IsAtOrUnder(string path, HashSet<string> reported)
    {
        if (reported.Count == 0) return false;
        if (reported.Contains("") || reported.Contains(path)) return true;
        for (var i = 0; i < path.Length; i++)
            if (path[i] is '.' or '[' && reported.Contains(path[..i])) return true;
        return false;
    }

    /// <summary>Removes every null-valued property at any depth (null = missing); null array items stay, to be refused.</summary>
    static JsonNode WithoutNulls(JsonNode node)
    {
        if (node is JsonObject o)
            foreach (var (k, v) in o.ToList())
                if (v is null) o.Remove(k);
                else WithoutNulls(v);
        else if (node is JsonArray a)
            foreach (var item in a) if (item is not null) WithoutNulls(item);
        return node;
    }

    /// <summary>
    /// Walks the JSON against the CLR shape it is read into (the serializer's own contract, so it cannot drift): unknown
    /// properties, values of the wrong JSON type, dates that do not read, enum values that are not exact names, and null
    /// list items, each with its path. False when <paramref name="node"/> is wrong: the caller leaves it out (a property)
    /// or nulls it (a list item, so the other items keep their indexes), so the rest can still be read and validated.
    /// </summary>
    static bool CheckShape(JsonNode? node, Type type, string path, List<FieldError> errors)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (node is null) { errors.Add(new(path, "required", "An item must not be null.")); return true; }
        if (type.IsEnum)
        {
            var names = Enum.GetNames(type);
            if (node is JsonValue v && v.TryGetValue<string>(out var s) && names.Contains(s, StringComparer.Ordinal)) return true;
            errors.Add(new(path, "unknown_value", $"{Last(path)} must be one of: {string.Join(", ", names)} (exact name)."));
            return false;
        }
        if (type == typeof(DateOnly))
        {
            // A date, as in every other body: invalid_date when it is not one (not the serializer's type error).
            if (node is JsonValue d && d.TryGetValue<string>(out var text) && Strict.IsAsciiDigits(text.Replace("-", "")) && text.Length == 10
                && DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
                return true;
            errors.Add(new(path, "invalid_date", $"{Last(path)} must be a date: YYYY-MM-DD, ASCII digits."));
            return false;
        }
        if (type == typeof(string))
        {
            if (node.GetValueKind() == JsonValueKind.String) return true;
            errors.Add(new(path, "wrong_type", $"{Last(path)} must be a string."));
            return false;
        }
        if (type.IsPrimitive) return true; // the contract has none; the serializer would name a wrong one
        var item = type.IsGenericType && type.GetGenericArguments() is [var t] && typeof(IEnumerable<>).MakeGenericType(t).IsAssignableFrom(type) ? t : null;
        if (item is not null)
        {
            if (node is not JsonArray array)
            {
                errors.Add(new(path, "wrong_type", $"{Last(path)} must be an array."));
                return false;
            }
            for (var i = 0; i < array.Count; i++)
                if (!CheckShape(array[i], item, $"{path}[{i}]", errors)) array[i] = null;
            return true;
        }
        if (node is not JsonObject obj)
        {
            errors.Add(new(path, "wrong_type", $"{(path.Length == 0 ? "The body" : Last(path))} must be an object."));
            return false;
        }
        var info = EventJson.Options.GetTypeInfo(type);
        foreach (var (name, value) in obj.ToList())
        {
            var property = info.Properties.FirstOrDefault(p => p.Name == name);
            var at = EventReader.Join(path, name);
            if (property is null || property.Set is null)
            {
                errors.Add(new(at, "unknown_field", $"Unknown field '{Cut(name)}'. Allowed: {string.Join(", ", info.Properties.Where(p => p.Set is not null).Select(p => p.Name))}."));
                obj.Remove(name);
            }
            else if (!CheckShape(value, property.PropertyType, at, errors)) obj.Remove(name);
        }
        return true;
    }

    static string Last(string path) => path[(path.LastIndexOf('.') + 1)..];
    static string Cut(string s) => s.Length > 40 ? s[..40] + "…" : s;

    /// <summary>Most items in each baseline list, like an event's arrays.</summary>
    public const int MaxBaselineItems = 200;

    /// <summary>
    /// The rules of a negotiation's opening (docs/api.md, create): every error at once, each with its path under
    /// <paramref name="path"/>. With <paramref name="today"/> (the reader's day, as events are checked), a <c>coveredUntil</c>
    /// after it is <c>in_future</c> — the record cannot be complete through a day that has not come — and one before
    /// 1900-01-01, the record's first possible day, <c>out_of_range</c> (the same rules as <c>RecordReviewed</c> and
    /// <c>PUT …/coverage</c>, judged with them: a 422). Never throws.
    /// </summary>
    public static List<FieldError> Validate(NegotiationOpened n, string path = "", DateOnly? today = null)
    {
        var errors = new List<FieldError>();
        string P(string f) => EventReader.Join(path, f);
        if (!IsValidId(n.Id)) errors.Add(new(P("id"), "invalid_slug", "id must be 3–64 characters: lower-case letters, digits and single hyphens, not starting or ending with a hyphen."));
        Text(n.Title, P("title"), "title", 200, errors);
        // Every party listed is judged, even when there are not two: three parties with a bad code and a missing name are
        // exactly_two *and* those items' errors (every error at once, docs/api.md) — a code repeated among them too.
        if (n.Parties is null) errors.Add(new(P("parties"), "required", "parties is required: exactly two parties."));
        else if (n.Parties.Count != 2) errors.Add(new(P("parties"), "exactly_two", "parties must list exactly two parties."));
        if (n.Parties is not null)
        {
            CheckParties(n.Parties, P("parties"), errors);
            var codes = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < n.Parties.Count; i++)
                if (n.Parties[i]?.Code is { } code && !codes.Add(code))
                    errors.Add(new(P($"parties[{i}].code"), "duplicate_code", $"{code} is listed twice: the parties must have different codes."));
        }
        if (n.Tags is { Count: > 10 }) errors.Add(new(P("tags"), "too_many", "At most 10 tags."));
        else if (n.Tags is not null)
            for (var i = 0; i < n.Tags.Count; i++)
                if (n.Tags[i] is not { } tag || !IsValidId(tag)) errors.Add(new(P($"tags[{i}]"), "invalid_slug", "A tag is a slug: 3–64 characters, lower-case letters, digits and single hyphens."));
                else if (n.Tags.Take(i).Contains(tag, StringComparer.Ordinal)) errors.Add(new(P($"tags[{i}]"), "duplicate_item", $"{tag} is listed twice."));
        if (n.CoveredUntil is { Year: > 9998 }) errors.Add(new(P("coveredUntil"), "out_of_range", "coveredUntil must be on or before 9998-12-31."));
        else if (n.CoveredUntil is { } early && today is not null && early < ValidationContext.Earliest)
            errors.Add(new(P("coveredUntil"), "out_of_range", "coveredUntil must not be before 1900-01-01."));
        else if (n.CoveredUntil is { } covered && today is { } day && covered > day)
            errors.Add(new(P("coveredUntil"), "in_future", $"coveredUntil must not be after today ({day:yyyy-MM-dd})."));
        if (n.Mediators is { Count: > 20 }) errors.Add(new(P("mediators"), "too_many", "At most 20 mediators."));
        else if (n.Mediators is not null)
        {
            CheckParties(n.Mediators, P("mediators"), errors);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < n.Mediators.Count; i++)
            {
                if (n.Mediators[i]?.Code is not { } code) continue;
                if (n.Parties?.Any(p => p?.Code == code) == true) errors.Add(new(P($"mediators[{i}].code"), "is_a_party", $"{code} is a party to the negotiation, not a mediator."));
                else if (!seen.Add(code)) errors.Add(new(P($"mediators[{i}].code"), "duplicate_code", $"{code} is listed twice."));
            }
        }
        var b = n.Baseline ?? new Baseline();
        // The baseline states facts between the two principals: each list is bounded like an event's, names them, and lists a fact once.
        var principals = (n.Parties ?? []).Where(p => p is not null).Select(p => p.Code).ToHashSet(StringComparer.Ordinal);
        void Principal(string? code, string path, string what)
        {
            if (code is not null && EventReader.PartyCode().IsMatch(code) && principals.Count == 2 && !principals.Contains(code))
                errors.Add(new(path, "not_a_party", $"{what} must be one of the two parties ({string.Join(", ", principals)})."));
        }
        void Bounded<T>(IReadOnlyList<T>? list, string name)
        {
            if (list is { Count: > MaxBaselineItems }) errors.Add(new(P($"baseline.{name}"), "too_many", $"At most {MaxBaselineItems} items in baseline.{name}."));
        }
        Bounded(b.Recognition, "recognition"); Bounded(b.Offices, "offices"); Bounded(b.Sanctions, "sanctions"); Bounded(b.Designations, "designations");
        var facts = new HashSet<string>(StringComparer.Ordinal);
        void Once(string key, string path) { if (!facts.Add(key)) errors.Add(new(path, "duplicate_item", "This fact is already listed.")); }
        foreach (var (r, i) in (b.Recognition ?? []).Select((r, i) => (r, i)))
        {
            if (r is null) { errors.Add(new(P($"baseline.recognition[{i}]"), "required", "A recognition is an object with by and of.")); continue; }
            if (!EventReader.PartyCode().IsMatch(r.By ?? "")) errors.Add(new(P($"baseline.recognition[{i}].by"), "invalid_party_code", "by must be a party code."));
            if (!EventReader.PartyCode().IsMatch(r.Of ?? "")) errors.Add(new(P($"baseline.recognition[{i}].of"), "invalid_party_code", "of must be a party code."));
            Principal(r.By, P($"baseline.recognition[{i}].by"), "by");
            Principal(r.Of, P($"baseline.recognition[{i}].of"), "of");
            if (r.By is not null && r.By == r.Of) errors.Add(new(P($"baseline.recognition[{i}].of"), "same_party", "A party does not recognise itself: of must be the other party."));
            Once($"recognition|{r.By}|{r.Of}", P($"baseline.recognition[{i}]"));
        }
        foreach (var (o, i) in (b.Offices ?? []).Select((o, i) => (o, i)))
        {
            if (o is null) { errors.Add(new(P($"baseline.offices[{i}]"), "required", "An office is an object with sender and host.")); continue; }
            if (!EventReader.PartyCode().IsMatch(o.Sender ?? "")) errors.Add(new(P($"baseline.offices[{i}].sender"), "invalid_party_code", "sender must be a party code."));
            if (!EventReader.PartyCode().IsMatch(o.Host ?? "")) errors.Add(new(P($"baseline.offices[{i}].host"), "invalid_party_code", "host must be a party code."));
            if (o.City is not null) Text(o.City, P($"baseline.offices[{i}].city"), "city", 500, errors, optional: true);
            Principal(o.Sender, P($"baseline.offices[{i}].sender"), "sender");
            Principal(o.Host, P($"baseline.offices[{i}].host"), "host");
            if (o.Sender is not null && o.Sender == o.Host) errors.Add(new(P($"baseline.offices[{i}].host"), "same_party", "An office is sent by one party to the other: host must differ from sender."));
            Once($"office|{o.Sender}|{o.Host}|{o.OfficeKind}|{o.City}", P($"baseline.offices[{i}]"));
        }
        foreach (var (s, i) in (b.Sanctions ?? []).Select((s, i) => (s, i)))
        {
            Text(s, P($"baseline.sanctions[{i}]"), "A sanction", 500, errors);
            Once($"sanction|{s}", P($"baseline.sanctions[{i}]"));
        }
        foreach (var (d, i) in (b.Designations ?? []).Select((d, i) => (d, i)))
        {
            if (d is null) { errors.Add(new(P($"baseline.designations[{i}]"), "required", "A designation is an object with by, designee and list.")); continue; }
            if (!EventReader.PartyCode().IsMatch(d.By ?? "")) errors.Add(new(P($"baseline.designations[{i}].by"), "invalid_party_code", "by must be a party code."));
            Text(d.Designee, P($"baseline.designations[{i}].designee"), "designee", 500, errors);
            Principal(d.By, P($"baseline.designations[{i}].by"), "by");
            Once($"designation|{d.By}|{d.Designee}|{d.List}", P($"baseline.designations[{i}]"));
        }
        return errors;
    }

    /// <summary>A one-line text: not blank, at most <paramref name="max"/> characters, by <see cref="Strict.TextProblem"/>.</summary>
    static void Text(string? value, string path, string what, int max, List<FieldError> errors, bool optional = false)
    {
        if (Strict.IsBlank(value))
            errors.Add(optional ? new(path, "empty", $"{what} must not be empty or blank: leave the field out instead.") : new(path, "required", $"{what} is required."));
        else if (value.Length > max) errors.Add(new(path, "too_long", $"{what} is longer than {max} characters."));
        else if (Strict.TextProblem(value) is { } problem) errors.Add(new(path, problem.Code, $"{what} {problem.Message}"));
    }

    static void CheckParties(IReadOnlyList<Party> parties, string path, List<FieldError> errors)
    {
        for (var i = 0; i < parties.Count; i++)
        {
            var p = parties[i];
            if (p is null) { errors.Add(new($"{path}[{i}]", "required", "A party is an object with code and name.")); continue; }
            if (!EventReader.PartyCode().IsMatch(p.Code ?? "")) errors.Add(new($"{path}[{i}].code", "invalid_party_code", "code must be 1–16 characters: upper-case letters, digits, hyphens, starting with a letter."));
            Text(p.Name, $"{path}[{i}].name", "name", 200, errors);
        }
    }
}
