using Microsoft.AspNetCore.Mvc;
using Normalization.Api.Http;
using Normalization.Api.Http.Requests;
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

    /// <summary>The deployment's reader settings (<see cref="ReaderSettings"/>); it takes no query parameter.</summary>
    [Tags("Site"), EndpointSummary("How this deployment faces readers")]
    [EndpointDescription("The mode (ReadWrite, or ReadOnly: every write answers 403 read_only, what-if is open), the deployment's time zone and the page's languages.")]
    [ProducesResponseType<SiteResponse>(StatusCodes.Status200OK)]
    [WolverineGet("/api/site")]
    public static IResult Get(NoQuery query, IConfiguration configuration)
    {
        var settings = ReaderSettings.From(configuration);
        return ApiJson.Ok(new SiteResponse(settings.Mode, settings.TimeZone.Id, !settings.IsReadOnly, Languages));
    }
}

/// <summary>Answer of GET /api/site: the mode, the deployment's zone (IANA id), whether what-if needs a key, the page's languages.</summary>
public sealed record SiteResponse(DeploymentMode Mode, string TimeZone, bool WhatIfNeedsKey, IReadOnlyList<string> Languages);
