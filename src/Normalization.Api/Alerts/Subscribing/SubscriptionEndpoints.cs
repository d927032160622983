using Marten;
using Normalization.Api.Http;
using Normalization.Api.Security;
using Normalization.Domain.Catalog;
using Normalization.Domain.Stages;
using Normalization.Domain.Validation;
using Wolverine.Http;

namespace Normalization.Api.Alerts.Subscribing;

/// <summary>The body of POST /api/subscriptions.</summary>
/// <param name="Url">http(s) URL to POST alerts to; checked against <c>Normalization:Alerts:AllowedHosts</c>.</param>
/// <param name="Secret">8–200 characters: the HMAC-SHA256 key of the signature header. Never shown again.</param>
/// <param name="NegotiationId">Only this negotiation (optional).</param>
/// <param name="Party">Only negotiations with this party code (optional).</param>
/// <param name="Stages">Only changes into or out of these stages (optional).</param>
public sealed record CreateSubscription(string? Url, string? Secret, string? NegotiationId, string? Party, List<string>? Stages);

/// <summary>The answer to POST /api/subscriptions: the new subscription's id.</summary>
public sealed record SubscriptionCreated(Guid Id);

/// <summary>A subscription as listed — everything but the secret.</summary>
public sealed record SubscriptionView(Guid Id, string Url, string? NegotiationId, string? Party, IReadOnlyList<Stage> Stages, string CreatedBy, DateTimeOffset CreatedAt)
{
    public static SubscriptionView Of(Subscription s) => new(s.Id, s.Url, s.NegotiationId, s.Party, s.Stages, s.CreatedBy, s.CreatedAt);
}

/// <summary>GET /api/subscriptions: every subscription, oldest first.</summary>
public sealed record SubscriptionList(IReadOnlyList<SubscriptionView> Items);

/// <summary>
/// Webhook subscriptions: POST creates (API key required, as for every write), GET lists or shows one, DELETE removes one.
/// The secret is write-only. docs/alerts.md.
/// </summary>
public static class SubscriptionEndpoints
{
    [WolverinePost("/api/subscriptions")]
    public static async Task<IResult> Create(CreateSubscription request, HttpContext http, IDocumentSession session, WebhookTargets targets, TimeProvider time, CancellationToken ct)
    {
        var errors = await targets.CheckAsync(request.Url, "url", ct);
        if (string.IsNullOrEmpty(request.Secret)) errors.Add(new("secret", "required", "secret is required: the key that signs each alert (HMAC-SHA256)."));
        else if (request.Secret.Length is < 8 or > 200) errors.Add(new("secret", "invalid_length", "secret must be 8–200 characters."));
        if (request.NegotiationId is { } n && !NegotiationValidator.IsValidId(n))
            errors.Add(new("negotiationId", "invalid_slug", "negotiationId must be a negotiation id (a slug such as us-taliban)."));
        string? party = null;
        if (request.Party is { } p)
        {
            if (EventReader.PartyCode().IsMatch(p.ToUpperInvariant())) party = p.ToUpperInvariant();
            else errors.Add(new("party", "invalid_party_code", "party must be a party code: letters, digits, hyphens (e.g. US, TB, ISIS-K)."));
        }
        var stages = new List<Stage>();
        for (var i = 0; i < (request.Stages?.Count ?? 0); i++)
        {
            if (Enum.TryParse<Stage>(request.Stages![i], ignoreCase: false, out var s) && Enum.IsDefined(s) && !int.TryParse(request.Stages[i], out _)) stages.Add(s);
            else errors.Add(new($"stages[{i}]", "invalid_stage", $"stages[{i}] must be one of {string.Join(", ", Enum.GetNames<Stage>())}."));
        }
        if (errors.Count > 0) return Problems.Validation(errors);

        var subscription = new Subscription
        {
            Id = Guid.CreateVersion7(), Url = request.Url!, Secret = request.Secret!, NegotiationId = request.NegotiationId, Party = party,
            Stages = stages.Distinct().ToList(), CreatedBy = ApiKeys.PostedBy(http), CreatedAt = time.GetUtcNow(),
        };
        var location = ApiJson.Location("api", "subscriptions", subscription.Id.ToString());
        session.Store(subscription);
        await session.SaveChangesAsync(ct);
        return ApiJson.Created(location, new SubscriptionCreated(subscription.Id));
    }

    [WolverineGet("/api/subscriptions")]
    public static async Task<IResult> List(HttpRequest request, IQuerySession session, CancellationToken ct)
    {
        if (Query.Only(request.Query) is { } unknown) return unknown;
        var all = await session.Query<Subscription>().OrderBy(s => s.CreatedAt).ToListAsync(ct);
        return ApiJson.Ok(new SubscriptionList(all.Select(SubscriptionView.Of).ToList()));
    }

    [WolverineGet("/api/subscriptions/{id}")]
    public static async Task<IResult> Get(string id, HttpRequest request, IQuerySession session, CancellationToken ct) =>
        Query.Only(request.Query) ?? (await LoadAsync(id, session, ct) is { } s ? ApiJson.Ok(SubscriptionView.Of(s)) : NotFound(id));

    [WolverineDelete("/api/subscriptions/{id}")]
    public static async Task<IResult> Delete(string id, IDocumentSession session, CancellationToken ct)
    {
        if (await LoadAsync(id, session, ct) is not { } s) return NotFound(id);
        session.Delete(s);
        await session.SaveChangesAsync(ct);
        return Results.NoContent();
    }

    /// <summary>The subscription with this id (a GUID), or null.</summary>
    public static async Task<Subscription?> LoadAsync(string id, IQuerySession session, CancellationToken ct) =>
        Guid.TryParse(id, out var guid) ? await session.LoadAsync<Subscription>(guid, ct) : null;

    /// <summary>404 subscription_not_found.</summary>
    public static IResult NotFound(string id) =>
        Problems.Of(StatusCodes.Status404NotFound, "subscription_not_found", "No such subscription.", $"There is no subscription '{(id.Length > 64 ? id[..64] : id)}'.");
}
