using System.Text.Json;
using Normalization.Domain.Validation;

namespace Normalization.Api.Http.Requests;

/// <summary>
/// A request record read from a JSON body by the product's strict rules (docs/reliability.md, "Input rules"). An endpoint
/// takes it as a parameter; <see cref="RequestBinding"/> makes Wolverine read it before any other step runs:
/// <see cref="JsonBody"/> first (size, media type, UTF-8, duplicate keys, depth — each its own ProblemDetails), then
/// <see cref="Read"/>. Why not Wolverine's own JSON binding: it would accept unknown fields, duplicate keys and
/// <c>1.0</c> for an integer, and answer a malformed body without our <c>code</c>.
/// </summary>
public interface IJsonRequest<TSelf> where TSelf : class, IJsonRequest<TSelf>
{
    /// <summary>
    /// Reads <paramref name="body"/> (a JSON object) into the record. Every field error goes to <paramref name="errors"/>
    /// with its path (400 <c>validation_failed</c>, all at once); a problem that is not about one field (413
    /// <c>too_many_events</c>) is returned instead. <paramref name="today"/> is the app's <see cref="TimeProvider"/>'s date.
    /// </summary>
    static abstract IResult? Read(JsonElement body, DateOnly today, List<FieldError> errors, out TSelf? request);

    /// <summary>
    /// Checks the route's parameters the body's endpoint reads (none by default): each bad one is a field error named
    /// <c>route.&lt;name&gt;</c> (so the path's <c>eventId</c> is told apart from a body field <c>eventId</c>), listed with the
    /// body's errors in the same 400 (docs/api.md, "Errors").
    /// </summary>
    static virtual void ReadRoute(RouteValueDictionary route, List<FieldError> errors) { }

    /// <summary>
    /// Reads the request headers that are part of what the endpoint is asked (none by default; POST …/events' <c>If-Match</c>
    /// is its body's <c>expectedVersion</c>) into <paramref name="request"/>, the record read from the body (null when the
    /// body had errors: the headers are still judged). Each bad header is a field error named <c>header.&lt;Name&gt;</c>,
    /// listed with the body's errors in the same 400.
    /// </summary>
    static virtual TSelf? ReadHeaders(IHeaderDictionary headers, TSelf? request, List<FieldError> errors) => request;

    /// <summary>
    /// The query parameters the endpoint takes besides its body: the reader's time zone, <c>tz</c>, by default (the writes
    /// judge dates against "today"); an endpoint that has no today declares none, so a <c>tz</c> there is
    /// <c>unknown_parameter</c>, as on a GET without today (docs/api.md, "The reader's time zone").
    /// </summary>
    static virtual string[] QueryParameters => [Readers.TimeZones.Parameter];
}

/// <summary>
/// A request record read from the query string by the rules of <see cref="Query"/>: a parameter not in
/// <see cref="Parameters"/> is <c>unknown_parameter</c>, listed with every error <see cref="Read"/> finds in the others
/// (and a bad <c>tz</c>): one 400 with all of them.
/// </summary>
public interface IQueryRequest<TSelf> where TSelf : class, IQueryRequest<TSelf>
{
    /// <summary>The query parameters the endpoint declares (exact names).</summary>
    static abstract string[] Parameters { get; }

    /// <summary>
    /// Reads <b>every</b> parameter (the request's headers may refine them: the timeline's Accept); each bad one is a field
    /// error in <paramref name="errors"/> (400 <c>validation_failed</c>, all at once — so a reader never stops at the first);
    /// a problem that is not about one parameter is returned instead. <paramref name="query"/> is used only without errors.
    /// </summary>
    static abstract IResult? Read(HttpRequest request, DateOnly today, List<FieldError> errors, out TSelf query);
}

/// <summary>An endpoint that declares no query parameters: any one given is 400 <c>unknown_parameter</c>.</summary>
public sealed record NoQuery : IQueryRequest<NoQuery>
{
    static readonly NoQuery Instance = new();

    /// <inheritdoc/>
    public static string[] Parameters => [];

    /// <inheritdoc/>
    public static IResult? Read(HttpRequest request, DateOnly today, List<FieldError> errors, out NoQuery query)
    {
        query = Instance;
        return null;
    }
}

/// <summary>
/// An endpoint whose only query parameter is the reader's time zone, <c>tz</c> (<see cref="Readers.ReaderTimeZoneMiddleware"/>
/// has read it before the endpoint runs: "today" is the date there); any other parameter is 400 <c>unknown_parameter</c>.
/// </summary>
public sealed record TodayQuery : IQueryRequest<TodayQuery>
{
    static readonly TodayQuery Instance = new();

    /// <inheritdoc/>
    public static string[] Parameters => [Readers.TimeZones.Parameter];

    /// <inheritdoc/>
    public static IResult? Read(HttpRequest request, DateOnly today, List<FieldError> errors, out TodayQuery query)
    {
        query = Instance;
        return null;
    }
}

/// <summary>The generic half of request reading, called from Wolverine's generated handlers (see <see cref="RequestBinding"/>).</summary>
public static class RequestReader
{
    /// <summary>
    /// The body as <typeparamref name="T"/>, or the ProblemDetails answer that ends the request: one 400 with every
    /// <c>unknown_parameter</c> (a query parameter other than <c>tz</c>) and every error of the body. A body that cannot be
    /// read as JSON at all has no field errors to add: then the unknown parameters are answered alone, else its problem.
    /// </summary>
    public static async Task<(T? Request, IResult? Problem)> BodyAsync<T>(HttpContext http, TimeProvider clock) where T : class, IJsonRequest<T>
    {
        // A body endpoint declares no query parameter but the reader's time zone (its "today"): any other is a mistake
        // the caller should hear about (400 unknown_parameter), as on every GET, not a parameter silently ignored.
        var errors = new List<FieldError>();
        Http.Query.Unknown(http.Request.Query, T.QueryParameters, errors);
        RouteIds.Read(http, errors);
        T.ReadRoute(http.Request.RouteValues, errors);
        var (doc, problem) = await JsonBody.ReadAsync(http.Request, http.RequestAborted);
        // A wrong media type (415) or size (413) is about the request as a whole, and the body was not read: it is answered
        // before the query's or route's field errors, which a client sees once it sends JSON (docs/api.md, "Errors").
        // A body read but malformed (400) gives way to those field errors, as before.
        if (problem is not null)
            return (null, errors.Count > 0 && problem is not IStatusCodeHttpResult { StatusCode: StatusCodes.Status415UnsupportedMediaType or StatusCodes.Status413PayloadTooLarge }
                ? Problems.Validation(errors) : problem);
        using var _ = doc;
        problem = T.Read(doc!.RootElement, Today(clock), errors, out var request);
        if (problem is not null) return (null, problem);
        request = T.ReadHeaders(http.Request.Headers, request, errors);
        // A precondition is never ignored: a write that does not read If-Match refuses it.
        if (!typeof(T).IsDefined(typeof(IfMatchHeaderAttribute), inherit: false)) IfMatch.RefuseWhereNotTaken(http.Request.Headers, errors);
        if (errors.Count > 0 || request is null) return (null, Problems.Validation(errors));
        return (request, null);
    }

    /// <summary>
    /// The query string as <typeparamref name="T"/>, or the ProblemDetails answer that ends the request: one 400 with every
    /// <c>unknown_parameter</c>, the error of a bad <c>tz</c> (<see cref="Readers.ReaderTimeZoneMiddleware"/> leaves it for
    /// this answer on a GET) and every error of the declared parameters.
    /// </summary>
    public static (T? Query, IResult? Problem) Query<T>(HttpRequest request, TimeProvider clock) where T : class, IQueryRequest<T>
    {
        var errors = new List<FieldError>();
        RouteIds.Read(request.HttpContext, errors);
        Http.Query.Unknown(request.Query, T.Parameters, errors);
        // A tz the endpoint does not declare is already unknown_parameter; its value is not worth a second error.
        if (Readers.ReaderTimeZoneMiddleware.DeferredErrors(request.HttpContext) is { } tz && !errors.Any(e => e.Path == Readers.TimeZones.Parameter))
            errors.AddRange(tz);
        var problem = T.Read(request, Today(clock), errors, out var query);
        if (problem is not null) return (null, problem);
        return errors.Count > 0 ? (null, Problems.Validation(errors)) : (query, null);
    }

    // The reader's date (ReaderClock's local zone is the request's ?tz=), as NegotiationStore.Today.
    static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
}

/// <summary>
/// The ids in a negotiation's URL are slugs, checked before anything is looked up: <c>{id}</c> of
/// <c>/api/negotiations/{id}/…</c> (<see cref="Domain.Validation.NegotiationValidator.IsValidId"/>: 3–64 lower-case letters,
/// digits and single hyphens) is <c>route.id</c>, a scenario's <c>{name}</c> (<see cref="WhatIf.ScenarioEndpoints.IsName"/>)
/// is <c>route.name</c> — 400 <c>invalid_slug</c>, listed with the query's and body's errors, instead of a 404 for an id
/// that can never exist (<c>US-CUBA</c>, <c>%E2%80%AEus</c>). A party's <c>{code}</c> of <c>/api/parties/{code}</c> is
/// <c>route.code</c> — 400 <c>invalid_party_code</c> when it is no party code in any case (<c>zz%20</c>). A subscription's
/// <c>{id}</c> of <c>/api/subscriptions/{id}</c> is <c>route.id</c> — 400 <c>invalid_guid</c> when it is not a GUID (<c>abc</c>).
/// </summary>
public static class RouteIds
{
    /// <summary>What a negotiation id is (<see cref="Domain.Validation.NegotiationValidator.IsValidId"/>), in the words of every message that refuses one (HTTP and the command line).</summary>
    public const string NegotiationIdRule = "3–64 characters: lower-case letters, digits and single hyphens, not starting or ending with a hyphen.";

    /// <summary>Adds <c>route.id</c> / <c>route.name</c> / <c>route.code</c> errors for the request's route values (negotiation, party and subscription routes).</summary>
    public static void Read(HttpContext http, List<FieldError> errors)
    {
        if (http.GetEndpoint() is not RouteEndpoint { RoutePattern.RawText: { } pattern }) return;
        if (pattern == "/api/parties/{code}")
        {
            // Codes are looked up in upper case (us is US): what no case makes a party code can never be found.
            if (!(http.Request.RouteValues.TryGetValue("code", out var code) && code is string c && Domain.Validation.EventReader.PartyCode().IsMatch(c.ToUpperInvariant())))
                errors.Add(new("route.code", "invalid_party_code", "The party code in the path must be a party code: 1–16 ASCII letters, digits and hyphens, starting with a letter (e.g. US, ISIS-K; looked up in upper case)."));
            return;
        }
        if (pattern.StartsWith("/api/subscriptions/{id}", StringComparison.Ordinal))
        {
            // A subscription's id is the GUID it was created with (hyphenated form, Strict.TryGuid): anything else can never be found.
            if (!(http.Request.RouteValues.TryGetValue("id", out var sub) && Strict.TryGuid(sub as string, out _)))
                errors.Add(new("route.id", "invalid_guid", "The subscription id in the path must be a GUID (36 characters, hyphenated, not all zeros), as POST /api/subscriptions returned it."));
            return;
        }
        if (!pattern.StartsWith("/api/negotiations/{id}", StringComparison.Ordinal)) return;
        var route = http.Request.RouteValues;
        if (route.TryGetValue("id", out var id) && !Domain.Validation.NegotiationValidator.IsValidId(id as string))
            errors.Add(new("route.id", "invalid_slug", "The negotiation id in the path must be " + NegotiationIdRule));
        if (pattern.Contains("{name}", StringComparison.Ordinal) && route.TryGetValue("name", out var name) &&
            !(name is string s && WhatIf.ScenarioEndpoints.IsName(s)))
            errors.Add(new("route.name", "invalid_slug", "The scenario name in the path must be 1–64 characters: lower-case letters, digits and single hyphens, not starting or ending with a hyphen."));
    }
}
