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
/// POSTs the alert, signed, and logs the attempt in its <see cref="AlertDelivery"/>. A 2xx answer is delivered; a 410 Gone
/// throws <see cref="WebhookGone"/> (dead-lettered at once); anything else (or no answer) throws
/// <see cref="WebhookDeliveryFailed"/> for Wolverine to retry. A delivery already logged as delivered
/// is not sent again (a redelivered message after a crash; two copies at once are serialized by an advisory lock on the
/// delivery's id); a deleted subscription is dropped.
/// </summary>
public static class DeliverAlertHandler
{
    /// <summary>The named HttpClient (its connect step re-checks the target: <see cref="WebhookTargets.ConnectAsync"/>).</summary>
    public const string ClientName = "webhooks";

    public static async Task Handle(DeliverAlert message, Envelope envelope, IDocumentStore store, Npgsql.NpgsqlDataSource dataSource, IHttpClientFactory clients,
        IOptions<AlertOptions> options, TimeProvider clock, ILogger<DeliverAlert> logger, CancellationToken ct)
    {
        var id = AlertDelivery.IdOf(message.SubscriptionId, message.Alert.Id);
        // Two copies of one delivery can run at once (a retry recovered after a crash beside the original, two nodes):
        // a transaction-scoped advisory lock on the delivery's id makes the second wait, then find it delivered. Held
        // until the log is saved, so the check, the POST and the log are one step.
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var lockCmd = new Npgsql.NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended(@id, 7))", conn, tx))
        {
            lockCmd.Parameters.AddWithValue("id", id);
            await lockCmd.ExecuteNonQueryAsync(ct);
        }
        await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(tx));
        var subscription = await session.LoadAsync<Subscription>(message.SubscriptionId, ct);
        if (subscription is null) return;
        var log = await session.LoadAsync<AlertDelivery>(id, ct) ?? AlertDelivery.Pending(message.SubscriptionId, message.Alert);
        if (log.Status == DeliveryStatus.Delivered) return;

        var body = JsonSerializer.SerializeToUtf8Bytes(message.Alert, EventJson.Options);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url) { Content = content };
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Of(body, subscription.Secret));
        request.Headers.Add("X-Normalization-Alert-Id", message.Alert.Id.ToString());

        log.Attempts = Math.Max(log.Attempts + 1, envelope.Attempts);
        log.LastAttemptAt = clock.GetUtcNow();
        string? error;
        var gone = false;
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, ct);
            log.LastStatusCode = (int)response.StatusCode;
            error = response.IsSuccessStatusCode ? null : Refusal(response);
            gone = response.StatusCode == System.Net.HttpStatusCode.Gone;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            log.LastStatusCode = null;
            // A timeout's own message is whole (it names TimeoutSeconds); its inner ones only repeat "canceled".
            error = e is TaskCanceledException ? e.Message : Cause(e);
        }

        if (error is null)
        {
            log.Status = DeliveryStatus.Delivered;
            log.DeliveredAt = log.LastAttemptAt;
            log.LastError = null;
        }
        else
        {
            log.LastError = gone ? error + " (the receiver says this URL is gone for good: not retried; subscribe its new URL)" : error;
            log.Status = gone || envelope.Attempts >= options.Value.MaxAttempts ? DeliveryStatus.DeadLettered : DeliveryStatus.Retrying;
        }
        session.Store(log);
        await session.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (error is not null)
        {
            logger.LogWarning("Alert {AlertId} to subscription {SubscriptionId}: attempt {Attempt} failed: {Error}", message.Alert.Id, message.SubscriptionId, envelope.Attempts, error);
            if (gone) throw new WebhookGone(log.LastError!);
            throw new WebhookDeliveryFailed(error);
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
