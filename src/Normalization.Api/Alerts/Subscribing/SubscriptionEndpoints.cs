using System.Security.Claims;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Normalization.Api.Http;
using Normalization.Api.Http.Requests;
using Normalization.Api.Security;
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
public sealed record CreateSubscription(string? Url, string? Secret, string? NegotiationId, string? Party, List<string>? Stages) : IJsonRequest<CreateSubscription>
{
    static readonly string[] Fields = ["url", "secret", "negotiationId", "party", "stages"];

    /// <summary>None: a subscription judges no date, so it has no "today" and takes no <c>tz</c>.</summary>
    public static string[] QueryParameters => [];

    /// <summary>
    /// Reads the body strictly like every write: an unknown field is <c>unknown_field</c>, a field of the wrong JSON type
    /// <c>wrong_type</c> (null is "not given"; a null item of <c>stages</c> is <c>required</c>, an unknown stage
    /// <c>unknown_value</c>, as in every body); the values are checked by the endpoint (the host check needs DNS).
    /// </summary>
    public static IResult? Read(JsonElement body, DateOnly today, List<FieldError> errors, out CreateSubscription? request)
    {
        request = null;
        foreach (var p in body.EnumerateObject())
            if (!Fields.Contains(p.Name))
                errors.Add(new(p.Name.Length > 40 ? p.Name[..40] : p.Name, "unknown_field", $"Unknown field. Allowed: {string.Join(", ", Fields)}."));
        string? Text(string name)
        {
            if (!body.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind == JsonValueKind.String) return v.GetString();
            errors.Add(new(name, "wrong_type", $"{name} must be a string."));
            return null;
        }
        var (url, secret, negotiationId, party) = (Text("url"), Text("secret"), Text("negotiationId"), Text("party"));
        List<string>? stages = null;
        var stageIndexes = new List<int>();
        if (body.TryGetProperty("stages", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array) errors.Add(new("stages", "wrong_type", "stages must be an array of stage names."));
            else
            {
                stages = [];
                var i = 0;
                foreach (var item in list.EnumerateArray())
                {
                    // Each stage keeps its own index in the body, so an error names stages[i] as sent.
                    if (item.ValueKind == JsonValueKind.String) { stages.Add(item.GetString()!); stageIndexes.Add(i); }
                    else if (item.ValueKind == JsonValueKind.Null) errors.Add(new($"stages[{i}]", "required", $"stages[{i}] must not be null: a stage name."));
                    else errors.Add(new($"stages[{i}]", "wrong_type", $"stages[{i}] must be a stage name (a string)."));
                    i++;
                }
            }
        }
        // The values are judged here, with the unknown fields and the wrong types (every error at once); only the host
        // check, which resolves the name, waits for the endpoint (a body otherwise valid).
        if (!errors.Any(e => e.Path == "url") && WebhookTargets.ShapeProblem(url, "url") is { } shape) errors.Add(shape);
        if (!errors.Any(e => e.Path == "secret"))
        {
            if (string.IsNullOrEmpty(secret)) errors.Add(new("secret", "required", "secret is required: the key that signs each alert (HMAC-SHA256)."));
            else if (secret.Length is < 8 or > 200) errors.Add(new("secret", "invalid_length", "secret must be 8–200 characters."));
            // A secret is text like any other (docs/api.md, "Input rules"): no blank around it, which a receiver's
            // configuration would drop, and no control character (a NUL cannot even be stored).
            else if (Strict.TextProblem(secret) is { } text) errors.Add(new("secret", text.Code, "secret " + text.Message));
        }
        if (negotiationId is { } n && !NegotiationValidator.IsValidId(n))
            errors.Add(new("negotiationId", "invalid_slug", "negotiationId must be a negotiation id (a slug such as us-taliban)."));
        // A party filter is read case-insensitively (docs/alerts.md): "us" is US; its shape is a party code's.
        if (party is { } code && !EventReader.PartyCode().IsMatch(code.ToUpperInvariant()))
            errors.Add(new("party", "invalid_party_code", "party must be a party code: letters, digits, hyphens, starting with a letter (e.g. US, TB, ISIS-K; case-insensitive)."));
        for (var i = 0; i < (stages?.Count ?? 0); i++)
            if (!IsStage(stages![i]))
                errors.Add(new($"stages[{stageIndexes[i]}]", "unknown_value", $"stages[{stageIndexes[i]}] must be one of {string.Join(", ", Enum.GetNames<Stage>())}."));
        if (errors.Count == 0) request = new(url, secret, negotiationId, party?.ToUpperInvariant(), stages);
        return null;
    }

    /// <summary>A stage's name, exactly (no numbers).</summary>
    static bool IsStage(string name) => Enum.TryParse<Stage>(name, ignoreCase: false, out var s) && Enum.IsDefined(s) && !int.TryParse(name, out _);
}

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
    /// <summary>201 <see cref="SubscriptionCreated"/> with its Location; 400 naming every bad field at once.</summary>
    [Tags("Alerts"), EndpointSummary("Subscribe a webhook")]
    [EndpointDescription("POSTs every stage change of matching negotiations to url, signed with X-Normalization-Signature: sha256=<HMAC-SHA256 of the body with secret>. The secret is never shown again. url must be http(s) and pass Normalization:Alerts:AllowedHosts (private and loopback addresses refused unless listed). 400 names each bad field: url (url_scheme, url_invalid, host_not_allowed, host_unresolved, address_not_allowed), secret, negotiationId, party, stages[i].")]
    [ProducesResponseType<SubscriptionCreated>(StatusCodes.Status201Created)]
    [WolverinePost("/api/subscriptions")]
    public static async Task<IResult> Create(CreateSubscription request, ClaimsPrincipal user, IDocumentSession session, WebhookTargets targets, TimeProvider time, CancellationToken ct)
    {
        // The body's values were judged as it was read (CreateSubscription.Read); here only what needs the network.
        var errors = await targets.CheckAsync(request.Url, "url", ct);
        var party = request.Party;
        var stages = (request.Stages ?? []).Select(s => Enum.Parse<Stage>(s)).ToList();
        if (errors.Count > 0) return Problems.Validation(errors);

        var subscription = new Subscription
        {
            Id = Guid.CreateVersion7(), Url = request.Url!, Secret = request.Secret!, NegotiationId = request.NegotiationId, Party = party,
            Stages = stages.Distinct().ToList(), CreatedBy = ApiKeys.PostedBy(user), CreatedAt = time.GetUtcNow(),
        };
        var location = ApiJson.Location("api", "subscriptions", subscription.Id.ToString());
        session.Store(subscription);
        await session.SaveChangesAsync(ct);
        return ApiJson.Created(location, new SubscriptionCreated(subscription.Id));
    }

    /// <summary>
    /// 200 <see cref="SubscriptionList"/>; 401 without a valid API key. The subscriptions' reads need a key, unlike every
    /// other read: a webhook URL is often the receiver's credential (a chat tool's incoming-webhook URL holds its token),
    /// and a public read-only tracker may share the newsroom's database.
    /// </summary>
    [Tags("Alerts"), EndpointSummary("List subscriptions"), EndpointDescription("Every subscription, oldest first, without secrets. Needs an API key (a webhook URL can be a credential): 401 without one.")]
    [ProducesResponseType<SubscriptionList>(StatusCodes.Status200OK), ProducesProblem(StatusCodes.Status401Unauthorized)]
    [Authorize(Policy = ApiKeyAuthentication.WriterPolicy)]
    [WolverineGet("/api/subscriptions")]
    public static async Task<IResult> List(NoQuery query, IQuerySession session, CancellationToken ct)
    {
        var all = await session.Query<Subscription>().OrderBy(s => s.CreatedAt).ToListAsync(ct);
        return ApiJson.Ok(new SubscriptionList(all.Select(SubscriptionView.Of).ToList()));
    }

    /// <summary>200 <see cref="SubscriptionView"/>; 401 without a valid API key (as <see cref="List"/>); 404 <c>subscription_not_found</c>.</summary>
    [Tags("Alerts"), EndpointSummary("A subscription"), EndpointDescription("One subscription, without its secret. Needs an API key: 401 without one. 404 subscription_not_found.")]
    [ProducesResponseType<SubscriptionView>(StatusCodes.Status200OK), ProducesProblem(StatusCodes.Status401Unauthorized), ProducesProblem(StatusCodes.Status404NotFound)]
    [Authorize(Policy = ApiKeyAuthentication.WriterPolicy)]
    [WolverineGet("/api/subscriptions/{id}")]
    public static async Task<IResult> Get(NoQuery query, string id, IQuerySession session, CancellationToken ct) =>
        await LoadAsync(id, session, ct) is { } s ? ApiJson.Ok(SubscriptionView.Of(s)) : NotFound(id);

    /// <summary>204; 404 <c>subscription_not_found</c>.</summary>
    [Tags("Alerts"), EndpointSummary("Unsubscribe"), EndpointDescription("Deletes the subscription; pending deliveries to it are dropped. 404 subscription_not_found.")]
    [ProducesResponseType(StatusCodes.Status204NoContent), ProducesProblem(StatusCodes.Status404NotFound)]
    [WolverineDelete("/api/subscriptions/{id}")]
    public static async Task<IResult> Delete(NoQuery query, string id, IDocumentSession session, CancellationToken ct)
    {
        if (await LoadAsync(id, session, ct) is not { } s) return NotFound(id);
        session.Delete(s);
        await session.SaveChangesAsync(ct);
        return Results.NoContent();
    }

    /// <summary>The subscription with this id (a GUID), or null.</summary>
    public static async Task<Subscription?> LoadAsync(string id, IQuerySession session, CancellationToken ct) =>
        Strict.TryGuid(id, out var guid) ? await session.LoadAsync<Subscription>(guid, ct) : null;

    /// <summary>404 subscription_not_found.</summary>
    public static IResult NotFound(string id) =>
        Problems.Of(StatusCodes.Status404NotFound, "subscription_not_found", "No such subscription.", $"There is no subscription '{(id.Length > 64 ? id[..64] : id)}'.");
}
