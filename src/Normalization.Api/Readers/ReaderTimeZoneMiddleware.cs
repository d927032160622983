using Normalization.Api.Http;

namespace Normalization.Api.Readers;

/// <summary>
/// Reads the reader's zone from <c>?tz=</c> on an API request and makes it the <see cref="ReaderClock"/>'s local zone for that
/// request. A value that names no zone answers 400 <c>unknown_time_zone</c> at path <c>tz</c>, given twice 400
/// <c>repeated_parameter</c>, before any endpoint runs. Endpoints that take <c>tz</c> list it in their <c>Query.Only</c>, so
/// on the others it is still an <c>unknown_parameter</c>.
/// </summary>
public static class ReaderTimeZoneMiddleware
{
    /// <summary>Adds the middleware (after routing, before authorization).</summary>
    public static void UseReaderTimeZone(this WebApplication app) => app.Use(async (http, next) =>
    {
        ReaderClock.UseForThisFlow(null);
        if (http.Request.Path.StartsWithSegments("/api") && http.Request.Query.TryGetValue(TimeZones.Parameter, out var values))
        {
            if (!Query.TryText(values, TimeZones.Parameter, out var id, out var problem)) { await problem!.ExecuteAsync(http); return; }
            if (id is not null)
            {
                if (!TimeZones.TryFind(id, out var zone)) { await Problems.Validation([TimeZones.Unknown(TimeZones.Parameter)]).ExecuteAsync(http); return; }
                ReaderClock.UseForThisFlow(zone);
            }
        }
        await next();
    });
}
