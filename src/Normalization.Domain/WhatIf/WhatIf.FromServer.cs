using System.Globalization;

namespace Normalization.Domain.WhatIf;

public static partial class WhatIf
{
    /// <summary>
    /// A history loaded from a running Normalization server: <c>GET api/negotiations/{id}/export?format=ndjson</c>
    /// (the same NDJSON as the CLI's <c>export</c>: first line the negotiation, then every recorded event, retractions and
    /// corrections included), resolved against <paramref name="http"/>'s <see cref="HttpClient.BaseAddress"/>. With
    /// <paramref name="knownAt"/>, the record as it was known at that instant (bitemporal). Reads need no API key.
    /// <code>
    /// using var http = new HttpClient { BaseAddress = new Uri("http://localhost:5080/") };
    /// var history = await WhatIf.FromServerAsync(http, "us-taliban");
    /// var result = history.AsOf(new DateOnly(2025, 4, 3)).Add(...).Project();
    /// </code>
    /// </summary>
    /// <param name="http">A client whose base address is the server's root (a path prefix ends with '/').</param>
    /// <param name="negotiationId">The negotiation's id, as in <c>/api/negotiations/{id}</c>.</param>
    /// <param name="knownAt">Optional instant: the history as recorded by then. Default: everything recorded.</param>
    /// <param name="today">"Today" for validating the exported events (no future events); default the real date, UTC.</param>
    /// <param name="ct">Cancels the request and the read.</param>
    /// <exception cref="HttpRequestException">The server answered other than 200 (404: no such negotiation, or not yet
    /// recorded at <paramref name="knownAt"/>); the message carries the status and the server's problem details,
    /// <see cref="HttpRequestException.StatusCode"/> the status.</exception>
    /// <exception cref="InvalidDataException">The export is not a valid history.</exception>
    public static async Task<Branch> FromServerAsync(HttpClient http, string negotiationId, DateTimeOffset? knownAt = null, DateOnly? today = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentException.ThrowIfNullOrWhiteSpace(negotiationId);
        var url = ExportUrl(negotiationId, knownAt);
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadAsStringAsync(ct);
            throw new HttpRequestException(
                $"GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}: {(problem.Length > 1000 ? problem[..1000] + "…" : problem)}",
                inner: null, response.StatusCode);
        }
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(body);
        // Read to the end first (asynchronously), then parse: NdjsonHistory reads a TextReader synchronously.
        using var text = new StringReader(await reader.ReadToEndAsync(ct));
        // As known at an instant: the changes are judged against that record, and each error says so (Branch.KnownAtNote).
        var branch = FromNdjson(text, today);
        return knownAt is { } k ? branch.AsKnownAt(k) : branch;
    }

    /// <summary>As <see cref="FromServerAsync(HttpClient, string, DateTimeOffset?, DateOnly?, CancellationToken)"/>, with a client of its own for <paramref name="server"/> (e.g. <c>http://localhost:5080/</c>).</summary>
    /// <remarks>Preferred over the <see cref="HttpClient"/> overload by the compiler, so <c>FromServerAsync(new("http://localhost:5080/"), id)</c> is this one, not ambiguous.</remarks>
    [System.Runtime.CompilerServices.OverloadResolutionPriority(1)]
    public static async Task<Branch> FromServerAsync(Uri server, string negotiationId, DateTimeOffset? knownAt = null, DateOnly? today = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var http = new HttpClient { BaseAddress = server };
        return await FromServerAsync(http, negotiationId, knownAt, today, ct);
    }

    /// <summary>The export's address relative to the server root: <c>api/negotiations/{id}/export?format=ndjson[&amp;knownAt=…]</c>.</summary>
    public static string ExportUrl(string negotiationId, DateTimeOffset? knownAt = null) =>
        $"api/negotiations/{Uri.EscapeDataString(negotiationId)}/export?format=ndjson"
        + (knownAt is { } k ? "&knownAt=" + Uri.EscapeDataString(k.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)) : "");
}
