using System.Text.Json.Nodes;

namespace Normalization.Api.Tests.Reliability.Fuzz;

/// <summary>What a generated request must get back.</summary>
public enum QueryExpectation
{
    /// <summary>A valid value: 2xx (proves the generator is not refused for another reason).</summary>
    Success,
    /// <summary>An empty value: the parameter's default (not a 5xx, the parameter not named as wrong).</summary>
    Default,
    /// <summary>400 naming the parameter.</summary>
    BadRequest,
    /// <summary>400 naming <b>each</b> of the parameters (comma-separated in <see cref="QueryCase.Parameter"/>): every error at once.</summary>
    BadRequestEach,
    /// <summary>Any 4xx (a hostile path id: usually 404, never a 5xx, never a write).</summary>
    Any4xx,
}

/// <summary>One request with one hostile query parameter or path id.</summary>
public sealed record QueryCase(string Method, string Template, string In, string Parameter, string Class, string Url, JsonNode? Body, QueryExpectation Expect)
{
    public override string ToString() => $"{Method} {Template} {In}:{Parameter} [{Class}] → {Expect} ({(Url.Length > 140 ? Url[..140] + "…" : Url)})";
}

/// <summary>
/// Generates query-string and path-id cases from the served OpenAPI document: every query parameter of every GET
/// operation under /api (its kind read from the schema: date pattern, date-time, enum, integer range, code) and every
/// path parameter of every operation. A new endpoint or parameter is covered as soon as the document declares it.
/// </summary>
public static class QueryCases
{
    /// <summary>A valid body per write template, so a hostile path id is what the request gets wrong.</summary>
    static JsonNode? BodyFor(string template) => template switch
    {
        var t when t.EndsWith("/events", StringComparison.Ordinal) => JsonNode.Parse("""{"events":[{"type":"TalksHeld","occurredOn":"2025-03-20","actor":"US","target":"TB","participants":["US","TB"]}]}"""),
        var t when t.EndsWith("/retract", StringComparison.Ordinal) => JsonNode.Parse("""{"reason":"Denied by both sides."}"""),
        var t when t.EndsWith("/scenarios", StringComparison.Ordinal) => JsonNode.Parse("""{"name":"fuzz-path","add":[]}"""),
        _ => new JsonObject(),
    };

    public static IEnumerable<QueryCase> From(JsonNode openApi, IReadOnlyDictionary<string, string> pathValues)
    {
        foreach (var (template, item) in openApi["paths"]!.AsObject().OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!template.StartsWith("/api/", StringComparison.Ordinal)) continue;
            foreach (var (method, op) in item!.AsObject().OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                var verb = method.ToUpperInvariant();
                if (verb is not ("GET" or "POST" or "PUT" or "DELETE")) continue;
                var parameters = (op!["parameters"]?.AsArray() ?? []).Select(p => p!).ToList();
                string Url(string? name, string? value, string location)
                {
                    var path = template;
                    foreach (var (k, v) in pathValues)
                        path = path.Replace("{" + k + "}", Uri.EscapeDataString(location == "path" && k == name ? value! : v), StringComparison.Ordinal);
                    // A CSV dialect means something with format=csv only (elsewhere it is refused, not_applicable): it is sent with it.
                    var companion = name == "dialect" && parameters.Any(p => p["name"]!.GetValue<string>() == "format") ? "&format=csv" : "";
                    return location == "query" && name is not null ? $"{path}?{name}={Uri.EscapeDataString(value!)}{companion}" : path;
                }
                if (verb == "GET")
                {
                    // A parameter the document does not declare (a typo of a real one, say) is refused, never ignored.
                    const string undeclared = "knownat";
                    yield return new(verb, template, "query", undeclared, "undeclared-parameter", Url(undeclared, "2025-01-01", "query"), null, QueryExpectation.BadRequest);
                }
                var queryParameters = parameters.Where(p => p["in"]!.GetValue<string>() == "query").ToList();
                if (verb == "GET" && queryParameters.Count > 0)
                {
                    // Every declared parameter bad at once, and an undeclared one: each is named in one 400 (a reader never
                    // stops at the first). Over-long is refused by every kind of parameter (its own class above).
                    var names = queryParameters.Select(p => p["name"]!.GetValue<string>()).Append("knownat").ToList();
                    var query = string.Join("&", names.Select(n => $"{n}={new string('A', 300)}"));
                    yield return new(verb, template, "query", string.Join(",", names), "every-parameter-bad", $"{Url(null, null, "query")}?{query}", null, QueryExpectation.BadRequestEach);
                }
                foreach (var p in parameters)
                {
                    var name = p["name"]!.GetValue<string>();
                    var location = p["in"]!.GetValue<string>();
                    if (location == "query" && verb == "GET")
                    {
                        foreach (var (cls, value, expect) in QueryValues(p["schema"]!))
                            yield return new(verb, template, "query", name, cls, Url(name, value, "query"), null, expect);
                        // The same parameter twice (even both empty): which one would count? Always refused.
                        var once = Url(name, "", "query");
                        yield return new(verb, template, "query", name, "repeated-parameter", $"{once}&{name}=", null, QueryExpectation.BadRequest);
                    }
                    if (location == "path")
                        foreach (var (cls, value) in PathValues(pathValues.TryGetValue(name, out var v) ? v : "x"))
                            yield return new(verb, template, "path", name, cls, Url(name, value, "path"), verb == "GET" ? null : BodyFor(template), QueryExpectation.Any4xx);
                }
            }
        }
    }

    static IEnumerable<(string Class, string Value)> PathValues(string valid)
    {
        yield return ("trailing-lf", valid + "\n");
        yield return ("trailing-crlf", valid + "\r\n");
        yield return ("leading-whitespace", " " + valid);
        yield return ("trailing-whitespace", valid + " ");
        yield return ("control-character", valid[..1] + "\u0001" + valid[1..]);
        foreach (var (cls, zero) in ContractCases.ForeignDigits)
            yield return (cls, valid.Any(char.IsAsciiDigit) ? ContractCases.WithDigits(valid, zero) : valid + zero);
        // A GUID in upper case is the same GUID (hex is case-insensitive), so that class applies to names and codes only.
        if (!Guid.TryParse(valid, out _))
            yield return ("upper-case", valid.ToUpperInvariant() == valid ? valid.ToLowerInvariant() + "x" : valid.ToUpperInvariant());
        yield return ("over-long", new string('a', 300));
        yield return ("injection", "x'; drop table mt_events; --");
    }

    static IEnumerable<(string Class, string Value, QueryExpectation Expect)> QueryValues(JsonNode schema)
    {
        var type = schema["type"]?.ToString();
        var kind = schema["enum"] is not null ? "enum"
            : schema["format"]?.GetValue<string>() == "date-time" ? "instant"
            // A slug (the board's tag): the same pattern as a negotiation id.
            : schema["pattern"]?.GetValue<string>() == "^[a-z0-9](?:[a-z0-9-]{1,62})[a-z0-9]$" ? "slug"
            : schema["format"]?.GetValue<string>() == "iana-time-zone" ? "zone"
            : schema["pattern"]?.GetValue<string>() == Normalization.Api.Exporting.ActorCodes.PairPattern ? "mapping"
            : schema["pattern"] is not null ? "date"
            : type == "integer" ? "int" : "code";
        var valid = kind switch
        {
            "enum" => schema["enum"]![0]!.GetValue<string>(),
            "instant" => DateTimeOffset.UtcNow.ToString("O"),
            // Today: valid for every date parameter (asOf, from, to, projectTo ≥ the default branch point).
            "date" => DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            "zone" => "Asia/Kabul",
            "int" => (schema["minimum"]?.GetValue<decimal>() ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "slug" => "library",
            "mapping" => "US=USA", // a party → actor-code pair (the CAMEO export's ?party=)
            _ => "US",
        };
        yield return ("valid", valid, QueryExpectation.Success);
        yield return ("empty", "", QueryExpectation.Default);
        yield return ("whitespace-only", "  ", QueryExpectation.BadRequest);
        yield return ("leading-whitespace", " " + valid, QueryExpectation.BadRequest);
        yield return ("trailing-whitespace", valid + " ", QueryExpectation.BadRequest);
        yield return ("trailing-lf", valid + "\n", QueryExpectation.BadRequest);
        yield return ("trailing-crlf", valid + "\r\n", QueryExpectation.BadRequest);
        yield return ("control-character", valid[..1] + "\u0007" + valid[1..], QueryExpectation.BadRequest);
        yield return ("over-long", new string('A', 300), QueryExpectation.BadRequest);
        yield return ("injection", "1'; drop table mt_events; --", QueryExpectation.BadRequest);
        if (valid.Any(char.IsAsciiDigit))
            foreach (var (cls, zero) in ContractCases.ForeignDigits) yield return (cls, ContractCases.WithDigits(valid, zero), QueryExpectation.BadRequest);
        switch (kind)
        {
            case "zone":
                yield return ("offset", "+04:30", QueryExpectation.BadRequest);
                yield return ("windows-id", "Afghanistan Standard Time", QueryExpectation.BadRequest);
                yield return ("unknown-zone", "Asia/Atlantis", QueryExpectation.BadRequest);
                yield return ("path-traversal", "../../etc/passwd", QueryExpectation.BadRequest);
                break;
            case "date":
                yield return ("culture-date", "03/20/2025", QueryExpectation.BadRequest);
                yield return ("month-name", "Mar 20 2025", QueryExpectation.BadRequest);
                yield return ("impossible-date", "2025-02-30", QueryExpectation.BadRequest);
                break;
            case "instant":
                yield return ("culture-date", "01/12/2026", QueryExpectation.BadRequest);
                yield return ("month-name", "Dec 31 2026", QueryExpectation.BadRequest);
                yield return ("no-zone", "2026-01-01T10:00:00", QueryExpectation.BadRequest);
                // After the negotiation was recorded (a date alone is 00:00 UTC, so take tomorrow's).
                var tomorrow = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                yield return ("date-only", tomorrow, QueryExpectation.Success);
                // RFC 3339 §5.6: lower-case t and z; fractional seconds past .NET's 100 ns are truncated, not refused.
                yield return ("lower-case-t-z", tomorrow + "t10:00:00z", QueryExpectation.Success);
                yield return ("nanoseconds", tomorrow + "T10:00:00.123456789Z", QueryExpectation.Success);
                yield return ("offset", tomorrow + "T10:00:00+04:30", QueryExpectation.Success);
                break;
            case "slug":
                yield return ("upper-case", "Library", QueryExpectation.BadRequest);
                yield return ("double-hyphen", "li--brary", QueryExpectation.BadRequest);
                break;
            case "enum":
                yield return ("enum-number", "1", QueryExpectation.BadRequest);
                yield return ("enum-list", string.Join(",", schema["enum"]!.AsArray().Take(2).Select(e => e!.GetValue<string>())), QueryExpectation.BadRequest);
                break;
            case "int":
                yield return ("negative", "-1", QueryExpectation.BadRequest);
                yield return ("past-limit", ((schema["maximum"]?.GetValue<decimal>() ?? int.MaxValue) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), QueryExpectation.BadRequest);
                yield return ("huge", "99999999999", QueryExpectation.BadRequest);
                yield return ("fraction", "1.5", QueryExpectation.BadRequest);
                yield return ("exponent", "1e1", QueryExpectation.BadRequest);
                yield return ("plus-sign", "+1", QueryExpectation.BadRequest);
                break;
            case "code":
                yield return ("lower-case", valid.ToLowerInvariant(), QueryExpectation.Success);
                yield return ("foreign-digit", valid + "۱", QueryExpectation.BadRequest);
                break;
        }
    }
}
