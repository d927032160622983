using System.Text;
using System.Text.Json;

namespace Normalization.Reliability.Fuzz;

/// <summary>One generated bad request: every one of them must be refused with a 4xx and change nothing.</summary>
public sealed record FuzzRequest(int Number, string Kind, string Method, string Path, string? ContentType, byte[]? Body)
{
    public override string ToString() =>
        $"#{Number} {Kind} {Method} {(Path.Length > 120 ? Path[..120] + "…" : Path)} {(Body is null ? "" : Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 160)))}";
}

/// <summary>What the corpus aims at: an existing negotiation, one of its events, and an existing saved scenario name.</summary>
public sealed record FuzzTargets(string NegotiationId, Guid EventId, string ScenarioName = "base");

/// <summary>A broken history file for the import command.</summary>
public sealed record FuzzFile(int Number, string Kind, string Extension, byte[] Content);

/// <summary>
/// Seeded generator of bad requests over every endpoint (issue 10, part 5). Deterministic for a seed, BCL only
/// (it is compiled into the test project and into tests/Normalization.Reliability). Each request is built from a
/// valid template and broken in one way that must be refused: malformed or truncated JSON, wrong types, huge strings
/// and arrays, deep nesting, invalid UTF-8 and unpaired surrogates, unknown and duplicate fields, dates out of range,
/// SQL/script injection where only a code/slug/id/date is allowed, bad slugs, bad query parameters, bad content types.
/// </summary>
public static class Corpus
{
    public const int Seed = 20261125;

    static readonly string[] Injections =
    [
        "'; drop table mt_events; --", "\" or \"1\"=\"1", "1; select pg_sleep(10)", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
        "${jndi:ldap://127.0.0.1/x}", "../../etc/passwd", "%00", "\u0000", "{{7*7}}", "' union select * from pg_shadow --", "javascript:alert(1)",
    ];

    static readonly string[] BadSlugs = ["", " ", "A", "-x", "x-", "a b", "ä-ö", "x/y", "x.y", "..", "UPPER", "x_y", new string('a', 300), "%2e%2e", "x;y"];
    static readonly string[] BadCodes = ["", " ", "us", "a b", "x/y", "x.y", "Ä", "x;y", "'; drop table mt_events; --", "<script>", "U S"];
    static readonly string[] BadDates = ["2020-02-30", "2020-13-01", "0000-00-00", "99999-01-01", "yesterday", "", "2020-02-29T25:00", "-2020-01-01", "2020/01/01", "1e10", "10000-01-01", "0001-00-01"];
    static readonly string[] BadInts = ["0", "-1", "abc", "99999999999", "1.5", "", " ", "0x10", "1e3", "１"];

    static string Guid(Random r)
    {
        var b = new byte[16];
        r.NextBytes(b);
        return new Guid(b).ToString();
    }

    static Dictionary<string, object?> Event(Random r) => new()
    {
        ["eventId"] = Guid(r), ["type"] = "TalksHeld", ["occurredOn"] = "2024-05-01", ["actor"] = "US", ["target"] = "TB",
        ["confidence"] = "Confirmed", ["participants"] = new[] { "US", "TB" }, ["location"] = "Doha",
    };

    /// <summary>The write endpoints and a valid body for each, as (path, body, fields that only accept a code/slug/id/date).</summary>
    static (string Path, Dictionary<string, object?> Body, string Target) Write(Random r, FuzzTargets t, int which, string prefix) => which switch
    {
        0 => ("/api/negotiations", new()
        {
            ["id"] = $"{prefix}-{r.Next(1_000_000)}", ["title"] = "Fuzz", ["parties"] = new[] { new { code = "US", name = "U" }, new { code = "TB", name = "T" } },
            ["mediators"] = Array.Empty<object>(), ["baseline"] = new { },
        }, "negotiation"),
        1 => ($"/api/negotiations/{t.NegotiationId}/events", new() { ["events"] = new[] { Event(r) } }, "event"),
        2 => ($"/api/negotiations/{t.NegotiationId}/events/{t.EventId}/retract", new() { ["reason"] = "fuzz" }, "retract"),
        3 => ($"/api/negotiations/{t.NegotiationId}/what-if", new() { ["add"] = new[] { Event(r) } }, "whatif"),
        _ => ($"/api/negotiations/{t.NegotiationId}/scenarios", new() { ["name"] = $"{prefix}-s{r.Next(1_000_000)}", ["add"] = new[] { Event(r) } }, "scenario"),
    };

    static readonly string[] Kinds =
    [
        "truncated", "malformed", "wrong-type", "huge-string", "huge-array", "deep-nesting", "invalid-utf8", "unpaired-surrogate",
        "unknown-field", "duplicate-field", "bad-date", "injection", "bad-slug", "bad-query", "bad-path", "content-type", "not-an-object",
    ];

    public static IEnumerable<FuzzRequest> Generate(FuzzTargets targets, int count, int seed = Seed)
    {
        var r = new Random(seed);
        var prefix = $"fz{seed % 1000}";
        for (var n = 0; n < count; n++)
        {
            var kind = Kinds[n % Kinds.Length];
            var (path, body, target) = Write(r, targets, r.Next(5), prefix);
            yield return kind switch
            {
                "truncated" => Truncated(n, kind, path, body, r),
                "malformed" => Post(n, kind, path, Malformed(r)),
                "wrong-type" => Post(n, kind, path, Json(WrongType(body, target, r))),
                "huge-string" => Post(n, kind, path, HugeString(body, target, r)),
                "huge-array" => Post(n, kind, path, HugeArray(target, r)),
                "deep-nesting" => Post(n, kind, path, Deep(body, r)),
                "invalid-utf8" => Post(n, kind, path, InvalidUtf8(body, r)),
                "unpaired-surrogate" => Post(n, kind, path, Encoding.UTF8.GetBytes(Json(body).Replace("\"fuzz\"", "\"\\ud800x\"").Replace("\"Doha\"", "\"\\udfff\"").Replace("\"Fuzz\"", "\"a\\ud83d\"")
                    .Replace($"\"{prefix}-s", "\"\\ud800-s"))),
                "unknown-field" => Post(n, kind, path, Json(Unknown(body, target, r))),
                "duplicate-field" => Post(n, kind, path, Duplicate(body, target, r)),
                "bad-date" => BadDate(n, kind, path, body, target, r, targets),
                "injection" => Injection(n, kind, path, body, target, r, targets),
                "bad-slug" => BadSlug(n, kind, body, target, r, targets),
                "bad-query" => BadQuery(n, kind, r, targets),
                "bad-path" => BadPath(n, kind, r, targets),
                "content-type" => new FuzzRequest(n, kind, "POST", path, Pick(r, ["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded"]),
                    Encoding.UTF8.GetBytes(r.Next(2) == 0 ? Json(body) : "id=x&title=y")),
                _ => Post(n, kind, path, Encoding.UTF8.GetBytes(Pick(r, ["null", "[]", "\"x\"", "1", "true", "[{}]", " ", "\n", "{} {}", "{}\u0000"]))),
            };
        }
    }

    static T Pick<T>(Random r, IReadOnlyList<T> items) => items[r.Next(items.Count)];
    static string Json(object? o) => JsonSerializer.Serialize(o);
    static FuzzRequest Post(int n, string kind, string path, byte[] body) => new(n, kind, "POST", path, "application/json", body);
    static FuzzRequest Post(int n, string kind, string path, string body) => Post(n, kind, path, Encoding.UTF8.GetBytes(body));

    static bool Parses(byte[] bytes)
    {
        try { using var _ = JsonDocument.Parse(bytes); return true; }
        catch (JsonException) { return false; }
    }

    static FuzzRequest Truncated(int n, string kind, string path, Dictionary<string, object?> body, Random r)
    {
        var json = Json(body);
        var cut = r.Next(1, json.Length - 1);
        return Post(n, kind, path, json[..cut]);
    }

    static byte[] Malformed(Random r)
    {
        while (true)
        {
            var bytes = r.Next(4) switch
            {
                0 => Encoding.UTF8.GetBytes(Pick(r, ["{", "}", "{\"events\":[}", "{'id':'x'}", "{\"id\":}", "{\"a\":1,}", "{\"events\":[1,]}", "{\"x\":NaN}", "{\"x\":undefined}",
                    "{\"x\":01}", "{\"x\":\"\n\"}", "{\"x\" \"y\"}", "{,}", "{\"x\":1}}", "{\"x\":[1}", "{\"x\":tru}", "{/*c*/}", "{\"x\":1 // c\n}", "\uFEFF\uFEFF{}"])),
                1 => Enumerable.Range(0, r.Next(1, 200)).Select(_ => (byte)r.Next(32, 127)).ToArray(),
                2 => Enumerable.Range(0, r.Next(1, 200)).Select(_ => (byte)r.Next(0, 256)).ToArray(),
                _ => Encoding.UTF8.GetBytes("{" + new string('"', r.Next(1, 9)) + ":" + new string('[', r.Next(1, 9))),
            };
            if (!Parses(bytes)) return bytes;
        }
    }

    static readonly object?[] WrongValues = [5, -1, 1.5, true, false, null, "x", new object[] { 1, 2 }, new { a = 1 }, 1e300, new object?[] { null }, ""];

    static Dictionary<string, object?> WrongType(Dictionary<string, object?> body, string target, Random r)
    {
        var copy = new Dictionary<string, object?>(body);
        switch (target)
        {
            case "negotiation":
                var f = Pick(r, ["id", "title", "parties", "mediators", "baseline"]);
                copy[f] = f switch
                {
                    "parties" => Pick(r, new object?[] { "US", 5, new { code = "US" }, new object[] { 1, 2 }, new object?[] { null, null }, new[] { new { code = 5, name = 6 }, new { code = 7, name = 8 } } }),
                    "mediators" => Pick(r, new object?[] { "QA", 5, new { code = "QA" }, new object[] { 1 } }),
                    "baseline" => Pick(r, new object?[] { "x", 5, new object[] { 1 }, true }),
                    _ => Pick(r, new object?[] { 5, true, new object[] { "x" }, new { a = 1 }, null, 1.5 }),
                };
                break;
            case "retract":
                copy["reason"] = Pick(r, new object?[] { 5, true, new object[] { "x" }, new { a = 1 }, 1.5 });
                break;
            case "event":
                if (r.Next(3) == 0) { copy["expectedVersion"] = Pick(r, new object?[] { "1", -1, 0, 1.5, true, 1e100, new object[] { 1 }, new { v = 1 } }); break; }
                if (r.Next(2) == 0) { copy["events"] = Pick(r, new object?[] { 5, "x", new { a = 1 }, new object?[] { null }, new object[] { 1, 2 }, new object[] { "x" }, null }); break; }
                copy["events"] = new[] { WrongEventField(r) };
                break;
            default: // what-if, scenario
                var g = Pick(r, target == "scenario" ? ["add", "remove", "replace", "name"] : new[] { "add", "remove", "replace", "asOf", "knownAt", "projectTo" });
                copy[g] = g switch
                {
                    "add" => Pick(r, new object?[] { 5, "x", new { a = 1 }, new object?[] { null }, new object[] { 1 }, new[] { WrongEventField(r) } }),
                    "remove" => Pick(r, new object?[] { 5, "x", new { a = 1 }, new object[] { 1 }, new object[] { "not-a-guid" } }),
                    "replace" => Pick(r, new object?[] { 5, "x", new object[] { 1 }, new object[] { new { eventId = 5, @event = 6 } } }),
                    "name" => Pick(r, new object?[] { 5, true, new object[] { "x" }, new { a = 1 } }),
                    _ => Pick(r, new object?[] { 5, true, new object[] { "x" }, new { a = 1 }, 1.5 }),
                };
                break;
        }
        return copy;
    }

    static Dictionary<string, object?> WrongEventField(Random r)
    {
        var e = Event(r);
        var f = Pick(r, e.Keys.ToList());
        e[f] = f switch
        {
            "participants" => Pick(r, new object?[] { "US", 5, new { a = 1 }, new object[] { 1, 2 } }),
            "eventId" => Pick(r, new object?[] { 5, "not-a-guid", new { a = 1 }, true, "" }),
            "type" => Pick(r, new object?[] { 5, null, "NoSuchEvent", "", new object[] { "TalksHeld" }, "talksheld " }),
            _ => Pick(r, new object?[] { 5, true, new object[] { "x" }, new { a = 1 }, 1.5 }),
        };
        return e;
    }

    static byte[] HugeString(Dictionary<string, object?> body, string target, Random r)
    {
        var big = new string(Pick(r, ['a', 'é', '字', '"']) == '"' ? 'x' : 'a', r.Next(2) == 0 ? (1 << 20) + r.Next(1, 5000) : r.Next(2_000, 200_000));
        var copy = new Dictionary<string, object?>(body);
        switch (target)
        {
            case "negotiation": copy["id"] = big; break; // a slug: never that long
            case "retract": copy["reason"] = big.Length > (1 << 20) ? big : big + new string('b', 1 << 20); break;
            case "event":
                var e = Event(r);
                e[Pick(r, ["actor", "type", "eventId", "occurredOn", "confidence"])] = big;
                copy["events"] = new[] { e };
                break;
            case "scenario": copy["name"] = big; break;
            default: copy["asOf"] = big; break;
        }
        return Encoding.UTF8.GetBytes(Json(copy));
    }

    static string HugeArray(string target, Random r)
    {
        var n = r.Next(1001, 1500);
        var sb = new StringBuilder();
        switch (target)
        {
            case "event":
                sb.Append("{\"events\":[");
                for (var i = 0; i < n; i++) sb.Append(i == 0 ? "" : ",").Append(Json(Event(r)));
                return sb.Append("]}").ToString();
            case "whatif":
            case "scenario":
                sb.Append(target == "scenario" ? "{\"name\":\"big\",\"remove\":[" : "{\"remove\":[");
                for (var i = 0; i < n; i++) sb.Append(i == 0 ? "" : ",").Append('"').Append(Guid(r)).Append('"');
                return sb.Append("]}").ToString();
            default:
                // over 1 MiB in all
                sb.Append("{\"parties\":[");
                for (var i = 0; i < 300_000; i++) sb.Append(i == 0 ? "" : ",").Append(i % 10);
                return sb.Append("]}").ToString();
        }
    }

    static string Deep(Dictionary<string, object?> body, Random r)
    {
        var depth = Pick(r, [33, 40, 64, 100, 1000, 5000]);
        var open = r.Next(2) == 0 ? "[" : "{\"a\":";
        var close = open == "[" ? "]" : "}";
        var nested = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
        var json = Json(body);
        return json[..^1] + ",\"nested\":" + nested + "}";
    }

    static byte[] InvalidUtf8(Dictionary<string, object?> body, Random r)
    {
        var json = Encoding.UTF8.GetBytes(Json(body));
        byte[][] bad = [[0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xE2, 0x82]];
        var insert = Pick(r, bad);
        // inside the first string value: after the first ":\""
        var at = Encoding.UTF8.GetString(json).IndexOf(":\"", StringComparison.Ordinal);
        at = at < 0 ? 1 : at + 2;
        return [.. json[..at], .. insert, .. json[at..]];
    }

    static Dictionary<string, object?> Unknown(Dictionary<string, object?> body, string target, Random r)
    {
        var copy = new Dictionary<string, object?>(body);
        var name = Pick(r, ["evil", "__proto__", "constructor", "Id", "EVENTS", "expected_version", "$type", "", "x\u0000y"]);
        if (target == "event" && r.Next(2) == 0)
        {
            var e = Event(r);
            e[Pick(r, ["evil", "__proto__", "$type", "EventId", "occurred_on"])] = "x";
            copy["events"] = new[] { e };
        }
        else if (!copy.ContainsKey(name)) copy[name] = 1;
        else copy["evil"] = 1;
        return copy;
    }

    static string Duplicate(Dictionary<string, object?> body, string target, Random r)
    {
        var json = Json(body);
        if (target == "event" && r.Next(2) == 0)
            return json.Replace("\"type\":\"TalksHeld\"", "\"type\":\"TalksHeld\",\"type\":\"PrisonerReleased\"");
        var first = body.Keys.First();
        var value = Json(body[first]);
        return json[..^1] + $",\"{first}\":{value}}}";
    }

    static FuzzRequest BadDate(int n, string kind, string path, Dictionary<string, object?> body, string target, Random r, FuzzTargets t)
    {
        var bad = Pick(r, BadDates);
        if (target == "event")
        {
            var e = Event(r);
            e["occurredOn"] = bad;
            return Post(n, kind, path, Json(new { events = new[] { e } }));
        }
        if (target == "whatif")
            return Post(n, kind, path, Json(new Dictionary<string, object?>(body) { [Pick(r, ["asOf", "projectTo", "knownAt"])] = bad == "" ? "x" : bad }));
        var q = Pick(r, ["asOf", "knownAt"]);
        return new FuzzRequest(n, kind, "GET", $"/api/negotiations/{t.NegotiationId}/state?{q}={Uri.EscapeDataString(bad == "" ? "2020-02-30" : bad)}", null, null);
    }

    static FuzzRequest Injection(int n, string kind, string path, Dictionary<string, object?> body, string target, Random r, FuzzTargets t)
    {
        var s = Pick(r, Injections);
        switch (r.Next(4))
        {
            case 0:
                return new FuzzRequest(n, kind, "GET", Pick(r, [$"/api/negotiations/{Uri.EscapeDataString(s)}", $"/api/negotiations/{Uri.EscapeDataString(s)}/timeline",
                    $"/api/parties/{Uri.EscapeDataString(s)}", $"/api/negotiations/{t.NegotiationId}/scenarios/{Uri.EscapeDataString(s)}",
                    $"/api/negotiations/{t.NegotiationId}/timeline?type={Uri.EscapeDataString(s)}&from={Uri.EscapeDataString(s)}",
                    $"/api/negotiations?stage={Uri.EscapeDataString(s)}"]), null, null);
            case 1:
                return Post(n, kind, $"/api/negotiations/{Uri.EscapeDataString(s)}/events", Json(new { events = new[] { Event(r) } }));
            default:
                if (target == "negotiation") return Post(n, kind, path, Json(new Dictionary<string, object?>(body) { ["id"] = s }));
                if (target == "scenario") return Post(n, kind, path, Json(new Dictionary<string, object?>(body) { ["name"] = s }));
                var e = Event(r);
                e[Pick(r, ["actor", "target", "type", "eventId", "occurredOn", "confidence"])] = s;
                return Post(n, kind, target == "whatif" ? path : $"/api/negotiations/{t.NegotiationId}/events",
                    Json(target == "whatif" ? new Dictionary<string, object?> { ["add"] = new[] { e } } : new Dictionary<string, object?> { ["events"] = new[] { e } }));
        }
    }

    static FuzzRequest BadSlug(int n, string kind, Dictionary<string, object?> body, string target, Random r, FuzzTargets t)
    {
        var slug = Pick(r, BadSlugs);
        if (r.Next(2) == 0)
        {
            var create = new Dictionary<string, object?>
            {
                ["id"] = slug, ["title"] = "Fuzz", ["parties"] = new[] { new { code = "US", name = "U" }, new { code = "TB", name = "T" } },
            };
            return Post(n, kind, "/api/negotiations", Json(create));
        }
        if (r.Next(2) == 0)
            return Post(n, kind, $"/api/negotiations/{t.NegotiationId}/scenarios", Json(new Dictionary<string, object?> { ["name"] = slug, ["add"] = Array.Empty<object>() }));
        var code = Pick(r, BadCodes);
        var codes = Pick(r, new object[] { new[] { new { code, name = "U" }, new { code = "TB", name = "T" } }, new[] { new { code = "US", name = "U" }, new { code = "US", name = "U" } } });
        return Post(n, kind, "/api/negotiations", Json(new Dictionary<string, object?> { ["id"] = $"fz-slug-{n}", ["title"] = "Fuzz", ["parties"] = codes }));
    }

    static FuzzRequest BadQuery(int n, string kind, Random r, FuzzTargets t)
    {
        var id = t.NegotiationId;
        var d = Uri.EscapeDataString(Pick(r, BadDates) is { Length: > 0 } x ? x : "2020-02-30");
        var i = Uri.EscapeDataString(Pick(r, BadInts) is { Length: > 0 } y && y != " " ? y : "0");
        return new FuzzRequest(n, kind, "GET", Pick(r, new[]
        {
            $"/api/negotiations?page={i}", $"/api/negotiations?pageSize={i}", "/api/negotiations?stage=Nope", "/api/negotiations?pageSize=201",
            $"/api/negotiations/{id}/timeline?from={d}", $"/api/negotiations/{id}/timeline?to={d}", $"/api/negotiations/{id}/timeline?page={i}",
            $"/api/negotiations/{id}/timeline?pageSize={i}", $"/api/negotiations/{id}/timeline?pageSize=501",
            $"/api/negotiations/{id}/state?asOf={d}", $"/api/negotiations/{id}/state?knownAt=not-an-instant", $"/api/negotiations/{id}/state?minConfidence=Sure",
            $"/api/negotiations/{id}/stages?from={d}", $"/api/negotiations/{id}/stages?from=2025-01-02&to=2025-01-01", $"/api/negotiations/{id}/stages?knownAt=x",
            $"/api/negotiations/{id}/scenarios/{t.ScenarioName}?asOf={d}", $"/api/negotiations/{id}/scenarios/{t.ScenarioName}?knownAt=x",
            $"/api/negotiations/{id}/scenarios/{t.ScenarioName}?projectTo={d}",
        }), null, null);
    }

    static FuzzRequest BadPath(int n, string kind, Random r, FuzzTargets t)
    {
        var slug = Uri.EscapeDataString(Pick(r, BadSlugs.Where(s => s.Trim().Length > 0 && s != "..").ToList()));
        return Pick(r, new[]
        {
            new FuzzRequest(n, kind, "GET", $"/api/negotiations/{slug}", null, null),
            new FuzzRequest(n, kind, "GET", $"/api/negotiations/{slug}/state", null, null),
            new FuzzRequest(n, kind, "GET", $"/api/negotiations/{slug}/stages", null, null),
            new FuzzRequest(n, kind, "GET", $"/api/negotiations/{slug}/timeline", null, null),
            new FuzzRequest(n, kind, "GET", $"/api/negotiations/{slug}/scenarios", null, null),
            new FuzzRequest(n, kind, "GET", $"/api/parties/{slug}", null, null),
            new FuzzRequest(n, kind, "POST", $"/api/negotiations/{slug}/events", "application/json", Encoding.UTF8.GetBytes(Json(new { events = new[] { Event(r) } }))),
            new FuzzRequest(n, kind, "POST", $"/api/negotiations/{t.NegotiationId}/events/not-a-guid/retract", "application/json", Encoding.UTF8.GetBytes("{\"reason\":\"x\"}")),
            new FuzzRequest(n, kind, "POST", $"/api/negotiations/{t.NegotiationId}/events/{Guid(r)}/retract", "application/json", Encoding.UTF8.GetBytes("{\"reason\":\"x\"}")),
            new FuzzRequest(n, kind, "POST", $"/api/negotiations/{slug}/what-if", "application/json", Encoding.UTF8.GetBytes(Json(new { add = new[] { Event(r) } }))),
        });
    }

    // ---------------------------------------------------------------- import files

    /// <summary>
    /// Broken history files for the import command: valid lines with one or more broken ones (NDJSON), or broken CSV
    /// (bad header, wrong column count, unterminated quotes, bad values, invalid UTF-8). Each must be refused whole.
    /// </summary>
    public static IEnumerable<FuzzFile> ImportFiles(int count, string[] csvColumns, int seed = Seed)
    {
        var r = new Random(seed + 1);
        for (var n = 0; n < count; n++)
        {
            if (n % 2 == 0) yield return Ndjson(n, r);
            else yield return Csv(n, r, csvColumns);
        }
    }

    static FuzzFile Ndjson(int n, Random r)
    {
        var lines = Enumerable.Range(0, r.Next(0, 6)).Select(_ => Encoding.UTF8.GetBytes(Json(Event(r)))).ToList();
        var valid = Json(Event(r));
        var (kind, bad) = r.Next(10) switch
        {
            0 => ("truncated", Encoding.UTF8.GetBytes(valid[..r.Next(1, valid.Length - 1)])),
            1 => ("malformed", Malformed(r)),
            2 => ("wrong-type", Encoding.UTF8.GetBytes(Json(WrongEventField(r)))),
            3 => ("invalid-utf8", InvalidUtf8(Event(r), r)),
            4 => ("unpaired-surrogate", Encoding.UTF8.GetBytes(valid.Replace("\"Doha\"", "\"\\ud800\""))),
            5 => ("duplicate-field", Encoding.UTF8.GetBytes(valid.Replace("\"type\":\"TalksHeld\"", "\"type\":\"TalksHeld\",\"type\":\"TalksHeld\""))),
            6 => ("bad-date", Encoding.UTF8.GetBytes(Json(new Dictionary<string, object?>(Event(r)) { ["occurredOn"] = Pick(r, BadDates) }))),
            7 => ("unknown-field", Encoding.UTF8.GetBytes(Json(new Dictionary<string, object?>(Event(r)) { ["evil"] = 1 }))),
            8 => ("deep-nesting", Encoding.UTF8.GetBytes(Deep(Event(r), r))),
            _ => ("injection", Encoding.UTF8.GetBytes(Json(new Dictionary<string, object?>(Event(r)) { [Pick(r, ["actor", "type", "eventId"])] = Pick(r, Injections) }))),
        };
        lines.Insert(r.Next(lines.Count + 1), bad);
        var content = lines.SelectMany(l => l.Concat("\n"u8.ToArray())).ToArray();
        return new FuzzFile(n, "ndjson-" + kind, ".ndjson", content);
    }

    static FuzzFile Csv(int n, Random r, string[] columns)
    {
        var header = string.Join(",", columns);
        string Row(string? eventId = null, string type = "TalksHeld", string date = "2024-05-01", string actor = "US") =>
            string.Join(",", columns.Select(c => c switch
            {
                "eventId" => eventId ?? Guid(r), "type" => type, "occurredOn" => date, "actor" => actor, "target" => "TB", "confidence" => "Confirmed",
                "fields" => "\"{\"\"participants\"\":[\"\"US\"\",\"\"TB\"\"],\"\"location\"\":\"\"Doha\"\"}\"",
                _ => "",
            }));
        var rows = Enumerable.Range(0, r.Next(0, 5)).Select(_ => Row()).ToList();
        var (kind, bad, badHeader) = r.Next(9) switch
        {
            0 => ("unknown-column", (string?)null, header + ",evil"),
            1 => ("missing-column", null, string.Join(",", columns.Where(c => c != "type"))),
            2 => ("wrong-column-count", Row() + ",extra", header),
            3 => ("unterminated-quote", Row().Replace("Confirmed", "\"Confirmed"), header),
            4 => ("bad-date", Row(date: Pick(r, BadDates.Where(d => d.Length > 0 && !d.Contains(',')).ToList())), header),
            5 => ("bad-type", Row(type: Pick(r, ["NoSuchEvent", "", "<script>", "NegotiationOpened"])), header),
            6 => ("injection", Row(actor: "'; drop table mt_events; --"), header),
            7 => ("bad-event-id", Row(eventId: Pick(r, ["not-a-guid", "1", "'; --"])), header),
            _ => ("duplicate-column", (string?)null, header + ",type"),
        };
        if (bad is not null) rows.Insert(r.Next(rows.Count + 1), bad);
        var text = badHeader + "\n" + string.Join("\n", rows) + "\n";
        var bytes = Encoding.UTF8.GetBytes(text);
        if (r.Next(8) == 0) { kind += "+invalid-utf8"; bytes = [.. bytes, 0xFF, 0xFE, (byte)'\n']; }
        return new FuzzFile(n, "csv-" + kind, ".csv", bytes);
    }
}
