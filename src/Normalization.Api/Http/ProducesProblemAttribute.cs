using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Normalization.Api.Http;

/// <summary>
/// Endpoint metadata: the endpoint can answer <paramref name="statusCode"/> with an RFC 7807 problem
/// (<c>application/problem+json</c>, the product's <c>ProblemDetails</c> with <c>code</c>). Wolverine copies method
/// attributes into the endpoint's metadata; ApiExplorer and the OpenAPI document read it from there.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ProducesProblemAttribute(int statusCode) : Attribute, IProducesResponseTypeMetadata
{
    /// <inheritdoc/>
    public Type? Type => typeof(ProblemDetails);

    /// <inheritdoc/>
    public int StatusCode { get; } = statusCode;

    /// <inheritdoc/>
    public IEnumerable<string> ContentTypes => ["application/problem+json"];

    /// <summary>The same, as a metadata object for endpoint policies (401, 413, …).</summary>
    public static ProducesProblemAttribute Of(int statusCode) => new(statusCode);
}
