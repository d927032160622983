using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Normalization.Api.Http;

/// <summary>The alert operations of the OpenAPI document: subscriptions, deliveries, Atom feeds (docs/alerts.md).</summary>
public sealed partial class OpenApiContract
{
    static IEnumerable<(string Path, HttpMethod Method, Action<OpenApiOperation, OpenApiDocument> Describe)> AlertOperations()
    {
        const string tag = "Alerts";
        var subscriptionId = new OpenApiParameter { Name = "id", In = ParameterLocation.Path, Required = true, Description = "The subscription's id (a UUID).", Schema = Str(format: "uuid") };
        yield return ("/api/subscriptions", HttpMethod.Post, (op, doc) =>
        {
            Describe(op, doc, tag, "Subscribe a webhook",
                "POSTs every stage change of matching negotiations to url, signed with X-Normalization-Signature: sha256=<HMAC-SHA256 of the body with secret>. " +
                "The secret is never shown again. url must be http(s) and pass Normalization:Alerts:AllowedHosts (private and loopback addresses refused unless listed).");
            op.Parameters = []; // the generator lists a stray "id" query parameter here; the route has none
            op.RequestBody = Body(doc, "CreateSubscription", ("newsroom", "Changes into or out of Representation for US negotiations",
                new JsonObject { ["url"] = "https://hooks.newsroom.example/normalization", ["secret"] = "a-long-random-secret", ["party"] = "US", ["stages"] = new JsonArray("Representation") }));
            Inline(op, 201, "Created; Location: /api/subscriptions/{id}. Body { id }.", "application/json");
            Errors(op, doc, write: true, (400, "Invalid fields: url (url_scheme, url_invalid, host_not_allowed, host_unresolved, address_not_allowed), secret, negotiationId, party, stages[i]."));
        });
        yield return ("/api/subscriptions", HttpMethod.Get, (op, doc) =>
        {
            Describe(op, doc, tag, "List subscriptions", "Every subscription, oldest first, without secrets.");
            op.Parameters = [];
            Inline(op, 200, "{ items: [ { id, url, negotiationId, party, stages, createdBy, createdAt } ] }.", "application/json");
            Errors(op, doc, write: false, (400, "An unknown query parameter."));
        });
        yield return ("/api/subscriptions/{id}", HttpMethod.Get, (op, doc) =>
        {
            Describe(op, doc, tag, "A subscription", "One subscription, without its secret.");
            op.Parameters = [subscriptionId];
            Inline(op, 200, "{ id, url, negotiationId, party, stages, createdBy, createdAt }.", "application/json");
            Errors(op, doc, write: false, (400, "An unknown query parameter."), (404, "No such subscription (subscription_not_found)."));
        });
        yield return ("/api/subscriptions/{id}", HttpMethod.Delete, (op, doc) =>
        {
            Describe(op, doc, tag, "Unsubscribe", "Deletes the subscription; pending deliveries to it are dropped.");
            op.Parameters = [subscriptionId];
            op.Responses!["204"] = new OpenApiResponse { Description = "Deleted." };
            Errors(op, doc, write: true, (404, "No such subscription (subscription_not_found)."));
        });
        yield return ("/api/subscriptions/{id}/deliveries", HttpMethod.Get, (op, doc) =>
        {
            Describe(op, doc, tag, "Deliveries of a subscription",
                "The latest 200 alerts sent to it, newest first: status (pending, retrying, delivered, dead-lettered), attempts, last error and HTTP status.");
            op.Parameters = [subscriptionId];
            Inline(op, 200, "{ subscriptionId, items: [ { alertId, negotiationId, on, change, status, attempts, lastError, lastStatusCode, createdAt, lastAttemptAt, deliveredAt } ] }.", "application/json");
            Errors(op, doc, write: false, (400, "An unknown query parameter."), (404, "No such subscription (subscription_not_found)."));
        });
        yield return ("/api/negotiations/{id}/feed.atom", HttpMethod.Get, (op, doc) =>
        {
            Describe(op, doc, tag, "Atom feed of a negotiation", "The latest 50 stage changes of the negotiation as an Atom 1.0 feed (RFC 4287).");
            op.Parameters = [IdParameter()];
            Inline(op, 200, "The Atom feed.", "application/atom+xml");
            Errors(op, doc, write: false, (400, "An unknown query parameter."), (404, "No such negotiation (negotiation_not_found)."));
        });
        yield return ("/api/feed.atom", HttpMethod.Get, (op, doc) =>
        {
            Describe(op, doc, tag, "Atom feed of the board", "The latest 50 stage changes of every negotiation as an Atom 1.0 feed (RFC 4287).");
            Inline(op, 200, "The Atom feed.", "application/atom+xml");
            Errors(op, doc, write: false, (400, "An unknown query parameter."));
        });
    }

    /// <summary>A success answer described in words (its body is not one of the named schemas).</summary>
    static void Inline(OpenApiOperation op, int status, string description, string mediaType)
    {
        op.Responses ??= new OpenApiResponses();
        op.Responses[status.ToString()] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [mediaType] = new OpenApiMediaType { Schema = mediaType == "application/json" ? new OpenApiSchema { Type = JsonSchemaType.Object } : Str() },
            },
        };
    }
}
