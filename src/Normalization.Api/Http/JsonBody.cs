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
        if (request.ContentType is { } ct0 && !ct0.Contains("json", StringComparison.OrdinalIgnoreCase))
            return (null, Problems.Of(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Send JSON.", "Content-Type must be application/json."));
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
        try
        {
            var doc = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = MaxDepth });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                doc.Dispose();
                return (null, Problems.Of(StatusCodes.Status400BadRequest, "not_an_object", "The body must be a JSON object."));
            }
            return (doc, null);
        }
        catch (JsonException ex)
        {
            return (null, Problems.Of(StatusCodes.Status400BadRequest, "malformed_json", "The body is not valid JSON.",
                $"Line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}: the JSON is malformed or nested deeper than {MaxDepth}."));
        }
    }

    static IResult TooLarge() => Problems.Of(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "The request body is too large.",
        $"At most {MaxBytes} bytes per request; split large histories or use the import command.");

    /// <summary>Turns System.Text.Json's "$.parties[0].code" into our field path "parties[0].code".</summary>
    public static string PathOf(JsonException ex) => (ex.Path ?? "$").TrimStart('$').TrimStart('.');
}
