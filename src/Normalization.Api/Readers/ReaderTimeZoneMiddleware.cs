using Normalization.Api.Http;
using Normalization.Api.Http.Requests;
using Normalization.Domain.Validation;

namespace Normalization.Api.Readers;

/// <summary>
/// Reads the reader's zone from <c>?tz=</c> on an API request and makes it the <see cref="ReaderClock"/>'s local zone for that
/// request. A value that names no zone is 400 <c>unknown_time_zone</c> at path <c>tz</c>, given twice 400
/// <c>repeated_parameter</c>. On a GET whose query string is read by a query record (<see cref="RequestRecordMetadata"/>)
/// that error is kept for the record's reading (<see cref="DeferredErrors"/>), so it is answered together with every other
/// bad parameter ("today" is then the deployment's); elsewhere it is answered here, before any endpoint or authentication
/// runs. Endpoints that take <c>tz</c> list it in their parameters, so on the others it is still an <c>unknown_parameter</c>.
/// </summary>
public static class ReaderTimeZoneMiddleware
{
    /// <summary>Adds the middleware (after routing, before authorization).</summary>
    public static void UseReaderTimeZone(this WebApplication app) => app.Use(async (http, next) =>
    {
        ReaderClock.UseForThisFlow(null);
        if (http.Request.Path.StartsWithSegments("/api") && http.Request.Query.TryGetValue(TimeZones.Parameter, out var values))
        {
            var errors = new List<FieldError>();
            if (Query.TryText(values, TimeZones.Parameter, out var id, errors) && id is not null)
            {
                if (TimeZones.TryFind(id, out var zone)) ReaderClock.UseForThisFlow(zone);
                else errors.Add(TimeZones.Unknown(TimeZones.Parameter, id));
            }
            if (errors.Count > 0)
            {
                if (!ReadOnlyMode.IsRead(http.Request.Method) || http.GetEndpoint()?.Metadata.GetMetadata<RequestRecordMetadata>() is not { Body: false })
                {
                    await Problems.Validation(errors).ExecuteAsync(http);
                    return;
                }
                http.Items[DeferredKey] = errors;
            }
        }
        await next();
    });

    static readonly object DeferredKey = new();

    /// <summary>The <c>tz</c> errors this middleware left for the query record's reading, or null.</summary>
    public static IReadOnlyList<FieldError>? DeferredErrors(HttpContext http) => http.Items.TryGetValue(DeferredKey, out var e) ? (List<FieldError>)e! : null;
}
