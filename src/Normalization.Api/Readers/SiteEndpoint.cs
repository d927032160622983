using Normalization.Api.Http;
using Wolverine.Http;

namespace Normalization.Api.Readers;

/// <summary>
/// GET /api/site — how this deployment faces readers, for the page: <c>{ mode: "ReadWrite"|"ReadOnly", timeZone: IANA id,
/// whatIfNeedsKey: bool, languages: ["en","fr"] }</c>. The page hides its write forms when the mode is ReadOnly and uses
/// the zone when the reader names none.
/// </summary>
public static class SiteEndpoint
{
    /// <summary>The languages the page ships a message catalog for.</summary>
    public static readonly string[] Languages = ["en", "fr"];

    [WolverineGet("/api/site")]
    public static IResult Get(HttpRequest request, IConfiguration configuration)
    {
        if (Query.Only(request.Query) is { } unknown) return unknown;
        var settings = ReaderSettings.From(configuration);
        return ApiJson.Ok(new { mode = settings.Mode, timeZone = settings.TimeZone.Id, whatIfNeedsKey = !settings.IsReadOnly, languages = Languages });
    }
}
