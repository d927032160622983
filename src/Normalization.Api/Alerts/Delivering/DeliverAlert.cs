using System.Net.Http.Headers;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.Options;
using Normalization.Api.Alerts.Notifying;
using Normalization.Api.Alerts.Subscribing;
using Normalization.Domain.Catalog;
using Wolverine;

namespace Normalization.Api.Alerts.Delivering;

/// <summary>The Wolverine message that POSTs one alert to one subscription (durable local queue; retried per <see cref="AlertOptions.RetryDelays"/>).</summary>
public sealed record DeliverAlert(Guid SubscriptionId, StageChangeAlert Alert);

/// <summary>A failed POST: Wolverine's error policy (AlertsSetup) schedules the next attempt, and after the last one dead-letters the message.</summary>
public sealed class WebhookDeliveryFailed(string message) : Exception(message);

/// <summary>
/// A POST the receiver answered <c>410 Gone</c>: the URL is gone for good (RFC 9110 §15.5.11), so Wolverine's error policy
/// (AlertsSetup) dead-letters the message at once instead of retrying it for hours.
/// </summary>
public sealed class WebhookGone(string message) : Exception(message);

/// <summary>
/// Another attempt holds this delivery (<see cref="AlertDelivery.LeaseId"/>): a copy of the message running beside this
/// one (a redelivery, two nodes), or a node that died mid-POST and whose claim has not lapsed yet. Wolverine's error policy
/// (AlertsSetup) runs this copy again after <see cref="AlertOptions.Lease"/>: by then that attempt has logged its outcome
/// (delivered: nothing more to do) or its claim has lapsed (this copy POSTs).
/// </summary>
public sealed class DeliveryInFlight(string message) : Exception(message);

/// <summary>
/// POSTs the alert, signed, and logs the attempt in its <see cref="AlertDelivery"/>. A 2xx answer is delivered; a 410 Gone
/// throws <see cref="WebhookGone"/> (dead-lettered at once); anything else (or no answer) throws
/// <see cref="WebhookDeliveryFailed"/> for Wolverine to retry. No database connection is held during the POST: a short
/// transaction claims the delivery first (<see cref="AlertDelivery.LeaseId"/>, committed), another records the outcome
/// after. A delivery already logged as delivered is not sent again (a redelivered message after a crash); a copy that finds
/// another attempt's claim standing throws <see cref="DeliveryInFlight"/> and looks again later; a deleted subscription is
/// dropped.
/// </summary>
public static class DeliverAlertHandler
{
    /// <summary>The named HttpClient (its connect step re-checks the target: <see cref="WebhookTargets.ConnectAsync"/>).</summary>
    public const string ClientName = "webhooks";

    /// <summary>An attempt that holds its delivery: the claim's id, where to POST and with which secret, and when it began.</summary>
    sealed record Attempt(Guid LeaseId, string Url, string Secret, DateTimeOffset At);

    /// <summary>What the receiver did: its HTTP status if it answered, the failure as the log words it (null: delivered), 410.</summary>
    sealed record Outcome(int? StatusCode, string? Error, bool Gone);

    /// <summary>Claims the delivery, POSTs with no connection held, then records the outcome (docs/alerts.md, "Delivery").</summary>
    public static async Task Handle(DeliverAlert message, Envelope envelope, IDocumentStore store, Npgsql.NpgsqlDataSource dataSource, IHttpClientFactory clients,
        IOptions<AlertOptions> options, TimeProvider clock, ILogger<DeliverAlert> logger, CancellationToken ct)
    {
        var id = AlertDelivery.IdOf(message.SubscriptionId, message.Alert.Id);
        // A silent receiver holds the POST for TimeoutSeconds: held inside a transaction, each such POST kept a pooled
        // connection from the API's requests (and, under the lock, a second copy of the delivery waited on it). So the check
        // and the claim are one short transaction, the POST holds nothing, and the outcome is a second one.
        if (await ClaimAsync(id, message, envelope, store, dataSource, options.Value, clock, ct) is not { } attempt) return;

        Outcome outcome;
        try
        {
            outcome = await PostAsync(message, attempt, clients, ct);
        }
        catch
        {
            // The node is stopping mid-POST (or the POST failed in a way not logged as an attempt's outcome): give the claim
            // back, so the message's next run (here or on another node) need not wait for it to lapse.
            await ReleaseAsync(id, attempt, store, dataSource, logger);
            throw;
        }

        var log = await RecordAsync(id, message, envelope, attempt, outcome, store, dataSource, options.Value, ct);
        if (log is null || outcome.Error is null) return;
        logger.LogWarning("Alert {AlertId} to subscription {SubscriptionId}: attempt {Attempt} failed: {Error}", message.Alert.Id, message.SubscriptionId, envelope.Attempts, outcome.Error);
        if (outcome.Gone) throw new WebhookGone(log.LastError!);
        throw new WebhookDeliveryFailed(outcome.Error);
    }

    /// <summary>
    /// The first short transaction: nothing to do (subscription deleted, already delivered: null), another attempt's claim
    /// standing (<see cref="DeliveryInFlight"/>), or this attempt's claim — counted and committed before the POST, so a
    /// crash mid-POST still counts it.
    /// </summary>
    static async Task<Attempt?> ClaimAsync(string id, DeliverAlert message, Envelope envelope, IDocumentStore store, Npgsql.NpgsqlDataSource dataSource,
        AlertOptions settings, TimeProvider clock, CancellationToken ct)
    {
        await using var turn = await DeliveryTurn.TakeAsync(id, dataSource, store, ct);
        var subscription = await turn.Session.LoadAsync<Subscription>(message.SubscriptionId, ct);
        if (subscription is null) return null;
        var log = await turn.Session.LoadAsync<AlertDelivery>(id, ct) ?? AlertDelivery.Pending(message.SubscriptionId, message.Alert);
        if (log.Status == DeliveryStatus.Delivered) return null;
        var now = clock.GetUtcNow();
        if (log.IsLeased(now))
            throw new DeliveryInFlight($"Alert {message.Alert.Id} to subscription {message.SubscriptionId}: another attempt holds it until {log.LeasedUntil:O}; looked at again later.");
        log.LeaseId = Guid.NewGuid();
        log.LeasedUntil = now + settings.Lease;
        log.Attempts = Math.Max(log.Attempts + 1, envelope.Attempts);
        log.LastAttemptAt = now;
        turn.Session.Store(log);
        await turn.CommitAsync(ct);
        return new Attempt(log.LeaseId.Value, subscription.Url, subscription.Secret, now);
    }

    /// <summary>The signed POST, no database connection held; its failures as the log words them.</summary>
    static async Task<Outcome> PostAsync(DeliverAlert message, Attempt attempt, IHttpClientFactory clients, CancellationToken ct)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(message.Alert, EventJson.Options);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, attempt.Url) { Content = content };
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Of(body, attempt.Secret));
        request.Headers.Add("X-Normalization-Alert-Id", message.Alert.Id.ToString());
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, ct);
            return new((int)response.StatusCode, response.IsSuccessStatusCode ? null : Refusal(response), response.StatusCode == System.Net.HttpStatusCode.Gone);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            // A timeout's own message is whole (it names TimeoutSeconds); its inner ones only repeat "canceled".
            return new(null, e is TaskCanceledException ? e.Message : Cause(e), false);
        }
    }

    /// <summary>
    /// The second short transaction: the outcome logged and this attempt's claim released. Null when another attempt
    /// delivered it meanwhile (this one's claim had lapsed): nothing to log over it, nothing to retry.
    /// </summary>
    static async Task<AlertDelivery?> RecordAsync(string id, DeliverAlert message, Envelope envelope, Attempt attempt, Outcome outcome,
        IDocumentStore store, Npgsql.NpgsqlDataSource dataSource, AlertOptions settings, CancellationToken ct)
    {
        await using var turn = await DeliveryTurn.TakeAsync(id, dataSource, store, ct);
        // Missing only if the store was wiped meanwhile: logged again from this attempt.
        var log = await turn.Session.LoadAsync<AlertDelivery>(id, ct);
        if (log is null)
        {
            log = AlertDelivery.Pending(message.SubscriptionId, message.Alert);
            (log.Attempts, log.LastAttemptAt) = (Math.Max(1, envelope.Attempts), attempt.At);
        }
        if (log.Status == DeliveryStatus.Delivered) return null;
        log.LastStatusCode = outcome.StatusCode;
        if (outcome.Error is null)
        {
            log.Status = DeliveryStatus.Delivered;
            log.DeliveredAt = attempt.At;
            log.LastError = null;
        }
        else
        {
            log.LastError = outcome.Gone ? outcome.Error + " (the receiver says this URL is gone for good: not retried; subscribe its new URL)" : outcome.Error;
            log.Status = outcome.Gone || envelope.Attempts >= settings.MaxAttempts ? DeliveryStatus.DeadLettered : DeliveryStatus.Retrying;
        }
        // Another attempt that took the delivery over (this one's claim lapsed) keeps its own claim.
        if (log.LeaseId == attempt.LeaseId) (log.LeaseId, log.LeasedUntil) = (null, null);
        turn.Session.Store(log);
        await turn.CommitAsync(ct);
        return log;
    }

    /// <summary>Gives this attempt's claim back (best effort, a few seconds at most): otherwise it lapses after <see cref="AlertOptions.Lease"/>.</summary>
    static async Task ReleaseAsync(string id, Attempt attempt, IDocumentStore store, Npgsql.NpgsqlDataSource dataSource, ILogger logger)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await using var turn = await DeliveryTurn.TakeAsync(id, dataSource, store, limit.Token);
            if (await turn.Session.LoadAsync<AlertDelivery>(id, limit.Token) is not { } log || log.LeaseId != attempt.LeaseId) return;
            (log.LeaseId, log.LeasedUntil) = (null, null);
            turn.Session.Store(log);
            await turn.CommitAsync(limit.Token);
        }
        catch (Exception e)
        {
            logger.LogInformation("Delivery {DeliveryId}: its claim was not given back while stopping ({Error}); it lapses on its own.", id, e.Message);
        }
    }

    /// <summary>
    /// A non-2xx answer as the delivery log shows it: status and reason, and for a redirect where it points — redirects are
    /// not followed (a 3xx could point anywhere, WebhookTargets), so that address is the subscriber's fix.
    /// </summary>
    public static string Refusal(HttpResponseMessage response)
    {
        var text = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } to)
        {
            var target = to.ToString();
            text += $" to {(target.Length > 500 ? target[..500] + "…" : target)} (redirects are not followed: subscribe that URL instead)";
        }
        return text;
    }

    /// <summary>
    /// The failure as the delivery log shows it: the exception's message and those of its inner exceptions, each once.
    /// HttpClient's own message is often only a wrapper ("An error occurred while sending the request.", "The SSL
    /// connection could not be established, see inner exception."); the cause a receiver's operator can act on — the
    /// answer ended before its status line, the certificate was refused, the name did not resolve — is inside.
    /// </summary>
    public static string Cause(Exception e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null; x = x.InnerException)
        {
            var text = x.Message.Replace(", see inner exception", "", StringComparison.OrdinalIgnoreCase).Trim().TrimEnd('.');
            if (text.Length > 0 && !parts.Any(p => p.Contains(text, StringComparison.Ordinal))) parts.Add(text);
        }
        var cause = string.Join(": ", parts);
        return cause.Length > 1000 ? cause[..1000] : cause;
    }
}
