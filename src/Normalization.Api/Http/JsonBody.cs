using System.Text.Json;

namespace Normalization.Api.Http;

/// <summary>Reads a JSON body with a size limit, turning every way it can be wrong into a ProblemDetails answer.</summary>
public static class JsonBody
{
    /// <summary>Largest request body accepted, documented in docs/api.md.</summary>
    public const int MaxBytes = 1 << 20;
    public const int MaxDepth = 32;

    public static async Task<(JsonDocument? Document, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBytes) return (null, TooLarge());
        if (NotJson(request.ContentType) is { } notJson)
            return (null, Problems.Of(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Send JSON.", notJson));
        if (UnsupportedCharset(request.ContentType) is { } charset)
            return (null, Problems.Of(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Send JSON encoded as UTF-8.",
                $"Content-Type '{Cut(request.ContentType!)}' declares charset '{Cut(charset)}': the body must be UTF-8 (charset=utf-8, or no charset)."));
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        try
        {
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > MaxBytes) return (null, TooLarge());
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException) { return (null, TooLarge()); }
        if (buffer.Length == 0) return (null, Problems.Of(StatusCodes.Status400BadRequest, "empty_body", "The request body is empty.", "Send a JSON object."));
        var bytes = buffer.ToArray();
        // A UTF-8 byte-order mark before the JSON (Windows editors write one) is not content: skip it.
        if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bytes = bytes[3..];
        if (bytes.Length == 0) return (null, Problems.Of(StatusCodes.Status400BadRequest, "empty_body", "The request body is empty.", "Send a JSON object."));
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
            return (null, Problems.Of(StatusCodes.Status400BadRequest, "invalid_utf8", "The body is not valid UTF-8.", "Send JSON encoded as UTF-8."));
        try
        {
            var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = MaxDepth, AllowDuplicateProperties = false });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                doc.Dispose();
                return (null, Problems.Of(StatusCodes.Status400BadRequest, "not_an_object", "The body must be a JSON object."));
            }
            if (!StringsAreText(doc.RootElement))
            {
                doc.Dispose();
                return (null, Problems.Of(StatusCodes.Status400BadRequest, "invalid_unicode", "The body holds a string that is not valid Unicode.",
                    "A string or property name has an unpaired surrogate escape (e.g. \\ud800)."));
            }
            return (doc, null);
        }
        catch (JsonException ex)
        {
            // A repeated property name is reported without a position: say so instead of "Line , byte :".
            var where = ex.LineNumber is { } line ? $"Line {line + 1}, byte {ex.BytePositionInLine ?? 0}: " : ex.Path is { Length: > 1 } path ? $"At {path}: " : "";
            return (null, Problems.Of(StatusCodes.Status400BadRequest, "malformed_json", "The body is not valid JSON.",
                Normalization.Domain.Histories.JsonQuotes.Advice(bytes, ex) is { } quotes ? $"{where}{quotes}"
                    : $"{where}{(where.Length == 0 ? "The" : "the")} JSON is malformed, repeats a property name, or is nested deeper than {MaxDepth}."));
        }
    }

    /// <summary>
    /// Why a Content-Type is not one JSON document (the 415's detail), or null when it is: <c>application/json</c>,
    /// <c>text/json</c> or a <c>+json</c> structured suffix (RFC 6839: <c>application/problem+json</c>), with any parameters;
    /// no Content-Type is read as JSON. A stream of JSON texts — NDJSON / JSON Lines (<c>application/x-ndjson</c>,
    /// <c>application/jsonl</c>) or a JSON text sequence (<c>application/json-seq</c>), such as the timeline's
    /// <c>format=ndjson</c> export — is not one object: it was read as JSON before and failed on its second line as
    /// <c>malformed_json</c>; it is now refused as a whole, the detail naming how to send it (docs/api.md, "Errors").
    /// A Content-Type that cannot be parsed is judged as before: JSON when it mentions json.
    /// </summary>
    public static string? NotJson(string? contentType)
    {
        if (contentType is null) return null;
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media) || !media.MediaType.HasValue)
            return contentType.Contains("json", StringComparison.OrdinalIgnoreCase) ? null : "Content-Type must be application/json.";
        var type = media.MediaType.Value!.ToLowerInvariant();
        if (type is "application/json" or "text/json" || type.EndsWith("+json", StringComparison.Ordinal)) return null;
        var shown = Cut(type);
        if (type.Contains("ndjson", StringComparison.Ordinal) || type.Contains("jsonl", StringComparison.Ordinal)
            || type.Contains("json-seq", StringComparison.Ordinal) || type.Contains("json-stream", StringComparison.Ordinal))
            return $"Content-Type '{shown}' is a stream of JSON lines, not one JSON object: send one object with Content-Type "
                 + "application/json (to append events, the lines as its events list: {\"events\": [ … ]}), or POST an NDJSON "
                 + "history file as it is to /api/negotiations/{id}/imports.";
        return $"Content-Type '{shown}' is not JSON: Content-Type must be application/json.";
    }

    /// <summary>Every string and property name can be read as text (no unpaired surrogate escapes, which would throw later).</summary>
    static bool StringsAreText(JsonElement element)
    {
        try
        {
            var stack = new Stack<JsonElement>();
            stack.Push(element);
            while (stack.Count > 0)
            {
                var e = stack.Pop();
                switch (e.ValueKind)
                {
                    case JsonValueKind.Object:
                        foreach (var p in e.EnumerateObject()) { _ = p.Name; stack.Push(p.Value); }
                        break;
                    case JsonValueKind.Array:
                        foreach (var i in e.EnumerateArray()) stack.Push(i);
                        break;
                    case JsonValueKind.String:
                        _ = e.GetString();
                        break;
                }
            }
            return true;
        }
        catch (InvalidOperationException) { return false; }
    }

    /// <summary>
    /// The charset a JSON Content-Type declares when it is not UTF-8 (<c>utf-16</c>, <c>iso-8859-1</c>), else null. JSON
    /// exchanged between systems is UTF-8 (RFC 8259 §8.1); a body declared otherwise is refused as a whole (415) rather than
    /// read as UTF-8 and failed later as <c>invalid_utf8</c>. A Content-Type that cannot be parsed has no charset to judge.
    /// </summary>
    public static string? UnsupportedCharset(string? contentType)
    {
        if (contentType is null || !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)) return null;
        var charset = media.Charset.HasValue ? media.Charset.Value!.Trim('"') : null;
        return charset is null || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase) ? null : charset;
    }

    static string Cut(string s) => s.Length > 100 ? s[..100] + "…" : s;

    static IResult TooLarge() => Problems.Of(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "The request body is too large.",
        $"At most {MaxBytes} bytes per request; split large histories or use the import command.");

    /// <summary>Turns System.Text.Json's "$.parties[0].code" into our field path "parties[0].code".</summary>
    public static string PathOf(JsonException ex) => (ex.Path ?? "$").TrimStart('$').TrimStart('.');
}
