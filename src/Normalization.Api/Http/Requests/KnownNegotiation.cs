using Normalization.Api.Storage;

namespace Normalization.Api.Http.Requests;

/// <summary>
/// Compound step, applied with <c>[Middleware(typeof(KnownNegotiation))]</c>: when the route's <c>{id}</c> names no
/// negotiation the request ends with 404 <c>negotiation_not_found</c> before the endpoint runs. It runs after the request
/// record is read (a bad body or query is a 400 even for an unknown id, as before). The endpoint may take the
/// <see cref="StreamVersion"/> it loaded. Writes that find the stream inside their own transaction (post events,
/// retract) do not use it: that would be a second read.
/// </summary>
public static class KnownNegotiation
{
    /// <summary>Marten's stream version of <paramref name="id"/>, or the 404 answer.</summary>
    public static async Task<(StreamVersion, IResult?)> LoadAsync(string id, NegotiationStore store, CancellationToken ct) =>
        await store.VersionAsync(id, ct) is { } version ? (new StreamVersion(version), null) : (default, Problems.NegotiationNotFound(id));
}

/// <summary>A negotiation's stream version (Marten's, the only version), as loaded by <see cref="KnownNegotiation"/>.</summary>
public readonly record struct StreamVersion(int Value);
