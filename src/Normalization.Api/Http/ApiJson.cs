using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Primitives;
using Normalization.Domain.Catalog;
using Normalization.Domain.Validation;

namespace Normalization.Api.Http;

/// <summary>
/// Responses in the product's JSON contract (camelCase, enums as strings, flat events with "type"), with one rule of their own:
/// <b>every property of an answer is there</b>, a null one as <c>null</c> (<see cref="Options"/>), so an answer has every
/// property its OpenAPI schema requires (ResponseContractTests). An event inside an answer keeps the form POST …/events takes and
/// the store keeps: an optional field without a value (null) is left out (<see cref="EventJson"/>; its schema lists such a field
/// as optional); an optional list is written, <c>[]</c> when it has no items (docs/api.md, "Conventions").
/// </summary>
public static class ApiJson
{
    /// <summary>The answers' serializer options (<see cref="Configure"/>); thread-safe, shared.</summary>
    public static readonly JsonSerializerOptions Options = CreateOptions();

    static JsonSerializerOptions CreateOptions()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(o);
        return o;
    }

    /// <summary>
    /// <see cref="EventJson.Configure"/>, then nulls written (<see cref="JsonIgnoreCondition.Never"/>) except in the events' own
    /// objects (<see cref="EventParts"/>). Also applied to ASP.NET's options (Program.cs), so nothing answers in another form.
    /// </summary>
    public static void Configure(JsonSerializerOptions o)
    {
        EventJson.Configure(o);
        o.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        if (o.TypeInfoResolver is DefaultJsonTypeInfoResolver resolver && !resolver.Modifiers.Contains(LeaveEventNullsOut))
            resolver.Modifiers.Add(LeaveEventNullsOut);
    }

    static void LeaveEventNullsOut(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || !EventParts.Contains(info.Type)) return;
        foreach (var p in info.Properties)
            if (p.ShouldSerialize is null && (!p.PropertyType.IsValueType || Nullable.GetUnderlyingType(p.PropertyType) is not null))
                p.ShouldSerialize = static (_, v) => v is not null;
    }

    /// <summary>
    /// The types an event is made of: the catalog's event records, the opening, and the objects their fields hold (sources,
    /// list items, a correction's event), found by reflection from the catalog so a new field's type is covered.
    /// </summary>
    static readonly HashSet<Type> EventParts = FindEventParts();

    static HashSet<Type> FindEventParts()
    {
        var parts = new HashSet<Type>();
        var pending = new Stack<Type>(EventCatalog.All.Select(t => t.ClrType).Append(typeof(NegotiationEvent)).Append(typeof(Domain.Negotiations.NegotiationOpened)));
        while (pending.TryPop(out var type))
        {
            if (!parts.Add(type)) continue;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var t = property.PropertyType;
                var element = t.IsArray ? t.GetElementType()!
                    : t.IsGenericType && t.GetGenericArguments() is [var single] && typeof(System.Collections.IEnumerable).IsAssignableFrom(t) ? single : t;
                if (element.IsClass && element != typeof(string) && element.Assembly == typeof(NegotiationEvent).Assembly) pending.Push(element);
            }
        }
        return parts;
    }

    public static IResult Ok(object value) => Results.Json(value, Options);

    /// <summary>
    /// 200 with <c>ETag: "&lt;version&gt;"</c>: the negotiation's stream version the answer was read (or written) at, the value
    /// a client sends back as <c>If-Match</c> on its writes (on POST …/events the same precondition as its body's <c>expectedVersion</c>).
    /// </summary>
    public static IResult OkAtVersion(object value, int version) => new AtVersion(Ok(value), version);

    sealed class AtVersion(IResult inner, int version) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.ETag = $"\"{version.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"";
            return inner.ExecuteAsync(http);
        }
    }

    /// <summary>
    /// 201 with a Location header. Give it a location made by <see cref="Location"/> <b>before</b> the write commits: a
    /// header that cannot be set (a raw line break, say) must fail the request before anything is stored, never after.
    /// The body is serialized here, so writing the answer can no longer throw.
    /// </summary>
    public static IResult Created(PreparedLocation location, object value) =>
        new CreatedJson(location.Value, JsonSerializer.SerializeToUtf8Bytes(value, Options));

    /// <summary>
    /// <see cref="Created"/> of a write to a negotiation, with <c>ETag: "&lt;version&gt;"</c>: the negotiation's stream version
    /// after the write (the <c>version</c> of the body), the If-Match of the writer's next write.
    /// </summary>
    public static IResult CreatedAtVersion(PreparedLocation location, object value, int version) =>
        new AtVersion(Created(location, value), version);

    /// <summary>A Location path from its segments, each percent-escaped (so it is always a valid header value).</summary>
    public static PreparedLocation Location(params string[] segments) =>
        new("/" + string.Join('/', segments.Select(Uri.EscapeDataString)));

    /// <summary>A Location header value known to be valid (built by <see cref="Location"/>).</summary>
    public readonly record struct PreparedLocation(string Value);

    sealed class CreatedJson(string location, byte[] body) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = StatusCodes.Status201Created;
            http.Response.Headers.Location = location;
            http.Response.ContentType = "application/json; charset=utf-8";
            http.Response.ContentLength = body.Length;
            return http.Response.Body.WriteAsync(body).AsTask();
        }
    }
}

/// <summary>
/// Query-string parsing with field-named errors, by the rules of <see cref="Strict"/> (docs/reliability.md, "Input
/// rules"): ASCII digits, whole-text patterns, ISO 8601 instants with a zone, enum names only. An absent or empty
/// parameter (<c>?asOf=</c>) means the default; anything else that does not parse is a field error naming the parameter,
/// added to the caller's list: a query reader (<see cref="Requests.IQueryRequest{TSelf}"/>) reads every parameter and
/// the request is answered once, 400 with <b>every</b> error (the same shape and codes as a body's).
/// </summary>
public static class Query
{
    /// <summary>The last date a date parameter may name (the end of a period must still be a date .NET can hold).</summary>
    public const string LastDate = "9998-12-31";

    /// <summary>
    /// Every parameter of the query string is one the endpoint declares (the same list as its OpenAPI operation): else
    /// <c>unknown_parameter</c> naming it and listing the allowed ones, added to <paramref name="errors"/>, so a typo
    /// (<c>?knownat=</c>) is never silently ignored. Names are exact (ASP.NET matches them case-insensitively, so
    /// <c>?ASOF=</c> would count).
    /// </summary>
    public static void Unknown(IQueryCollection query, string[] allowed, List<FieldError> errors) =>
        errors.AddRange(query.Keys.Where(k => !allowed.Contains(k, StringComparer.Ordinal))
            .Select(k => new FieldError(Cut(k), "unknown_parameter",
                allowed.Length == 0 ? "This endpoint takes no query parameters." : $"Unknown query parameter. Allowed: {string.Join(", ", allowed)}.")));

    static string Cut(string s) => s.Length > 40 ? s[..40] : s;

    /// <summary>The one value of a parameter: absent or empty is null; given twice (<c>?asOf=a&amp;asOf=b</c>) is <c>repeated_parameter</c>.</summary>
    public static bool TrySingle(StringValues values, string name, out string? value, List<FieldError> errors)
    {
        value = null;
        if (values.Count > 1)
        {
            errors.Add(new(name, "repeated_parameter", $"{name} is given {values.Count} times: give it once."));
            return false;
        }
        value = values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
        return true;
    }

    /// <summary>
    /// A date (<c>asOf</c>, a range's <c>to</c>): YYYY-MM-DD, or YYYY-MM / YYYY meaning the <b>end</b> of that period (what
    /// had happened by then, as an event dated 2015-07 counts on 31 July).
    /// </summary>
    public static bool TryDate(StringValues values, string name, out DateOnly? date, List<FieldError> errors) =>
        TryDate(values, name, start: false, out date, errors);

    /// <summary>
    /// The first bound of a range (<c>from</c>): YYYY-MM / YYYY mean the <b>start</b> of that period, so that
    /// <c>from=2015-07&amp;to=2015-07</c> is all of July (with the end of the period, only what is dated 2015-07 or 31 July was in it).
    /// </summary>
    public static bool TryRangeStart(StringValues values, string name, out DateOnly? date, List<FieldError> errors) =>
        TryDate(values, name, start: true, out date, errors);

    static bool TryDate(StringValues values, string name, bool start, out DateOnly? date, List<FieldError> errors)
    {
        date = null;
        if (!TrySingle(values, name, out var value, errors)) return false;
        if (value is null) return true;
        if (DomainDate.TryParse(value, out var d))
        {
            if (d.Year is >= 1 and <= 9998) { date = start ? d.Start : d.End; return true; }
            errors.Add(new(name, "out_of_range", $"{name} must be on or before {LastDate}."));
            return false;
        }
        errors.Add(new(name, "invalid_date", $"{name} must be a date: YYYY-MM-DD (or YYYY-MM / YYYY, meaning the {(start ? "start" : "end")} of that period), ASCII digits."));
        return false;
    }

    /// <summary>An instant by <see cref="Strict.TryInstant"/>, the one instant parser (RFC 3339; lower-case t/z; fractions truncated to 100 ns).</summary>
    public static bool TryInstant(StringValues values, string name, out DateTimeOffset? instant, List<FieldError> errors)
    {
        instant = null;
        if (!TrySingle(values, name, out var value, errors)) return false;
        if (value is null) return true;
        var reading = Strict.ReadInstant(value, out var i);
        if (reading == Strict.InstantReading.Ok) { instant = i; return true; }
        if (reading == Strict.InstantReading.OutOfRange) { errors.Add(InstantOutOfRange(name)); return false; }
        errors.Add(new(name, "invalid_instant", $"{name} must be an ISO 8601 instant with Z or an offset, e.g. 2025-04-01T00:00:00Z (a date alone means 00:00 UTC)."
            + PlusHint(name, value, v => Strict.TryInstant(v, out _))));
        return false;
    }

    /// <summary><c>out_of_range</c> for an instant that is well formed but outside <see cref="Strict.FirstInstant"/> … <see cref="Strict.LastInstant"/>, naming the range.</summary>
    public static FieldError InstantOutOfRange(string name) =>
        new(name, "out_of_range", $"{name} must be {Strict.InstantRange}: no record is known before its first possible day, and dates run to {LastDate}.");

    /// <summary>
    /// What to add to the message of a query value refused when its '+' was sent unencoded: in a query string a '+' reads
    /// as a space (form encoding, applied by every server), so <c>knownAt=2025-04-01T10:00:00+02:00</c> arrives as
    /// <c>2025-04-01T10:00:00 02:00</c> and <c>tz=Etc/GMT+5</c> as <c>Etc/GMT 5</c>. When the value with its spaces read back
    /// as '+' is <paramref name="valid"/>, the hint says to send the '+' as <c>%2B</c>; otherwise nothing.
    /// </summary>
    public static string PlusHint(string name, string value, Func<string, bool> valid)
    {
        if (!value.Contains(' ')) return "";
        var meant = value.Replace(' ', '+');
        return valid(meant) ? $" A '+' in a query string reads as a space: send it as %2B ({name}={meant.Replace("+", "%2B")})." : "";
    }

    public static bool TryInt(StringValues values, string name, int min, int max, int fallback, out int result, List<FieldError> errors)
    {
        result = fallback;
        if (!TrySingle(values, name, out var value, errors)) return false;
        if (value is null) return true;
        if (Strict.TryInt(value, out var i) && i >= min && i <= max) { result = i; return true; }
        errors.Add(new(name, "out_of_range", $"{name} must be an integer from {min} to {max}, in ASCII digits."));
        return false;
    }

    public static bool TryEnum<T>(StringValues values, string name, out T? result, List<FieldError> errors) where T : struct, Enum
    {
        result = null;
        if (!TrySingle(values, name, out var value, errors)) return false;
        if (value is null) return true;
        if (Strict.TryName<T>(value, out var e)) { result = e; return true; }
        errors.Add(new(name, "unknown_value", $"{name} must be one of: {string.Join(", ", Enum.GetNames<T>())} (a name, not a number or a list)."));
        return false;
    }

    /// <summary>A party code filter (<c>?actor=</c>, <c>?party=</c>), case-insensitive, upper-cased.</summary>
    public static bool TryPartyCode(StringValues values, string name, out string? code, List<FieldError> errors)
    {
        code = null;
        if (!TrySingle(values, name, out var value, errors)) return false;
        if (value is null) return true;
        if (EventReader.PartyCode().IsMatch(value.ToUpperInvariant())) { code = value.ToUpperInvariant(); return true; }
        errors.Add(new(name, "invalid_party_code", $"{name} must be a party code: letters, digits, hyphens (e.g. US, TB, ISIS-K)."));
        return false;
    }

    /// <summary>A single free value (<c>?type=</c>) under the rule of one value per parameter.</summary>
    public static bool TryText(StringValues values, string name, out string? value, List<FieldError> errors) => TrySingle(values, name, out value, errors);
}
