using Marten;
using Normalization.Api.Alerts.Decaying;
using Normalization.Api.Alerts.Delivering;
using Normalization.Api.Alerts.Feeds;
using Normalization.Api.Alerts.Notifying;
using Normalization.Api.Alerts.Subscribing;
using Wolverine;
using Wolverine.ErrorHandling;

namespace Normalization.Api.Alerts;

/// <summary>Alerts' services, documents and Wolverine messaging (docs/alerts.md).</summary>
public static class AlertsSetup
{
    /// <summary>The durable local queue of the fan-out (<c>StageChanged</c>: feed entry, delivery rows) and the expiries due.</summary>
    public const string Queue = "alerts";

    /// <summary>
    /// The durable local queue of the webhook POSTs (<c>DeliverAlert</c>), apart from <see cref="Queue"/>: a receiver that
    /// does not answer holds a POST for <c>TimeoutSeconds</c>, and a queue's handlers run a few at a time, so on one queue a
    /// few silent receivers held back every feed entry and every other negotiation's fan-out.
    /// </summary>
    public const string DeliveryQueue = "alert-deliveries";

    /// <summary>Settings, the delivery HttpClient, the append hook and the alert documents (Marten, in its schema).</summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AlertOptions>(configuration.GetSection(AlertOptions.Section));
        services.AddSingleton<WebhookTargets>();
        services.AddSingleton<StageChangeAlerts>();
        services.AddHttpClient(DeliverAlertHandler.ClientName, (sp, c) =>
            {
                c.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<AlertOptions>>().Value.TimeoutSeconds);
                c.DefaultRequestHeaders.UserAgent.ParseAdd("Normalization-Alerts/1");
            })
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var targets = sp.GetRequiredService<WebhookTargets>();
                // No redirects: a 3xx could point anywhere; the connect step re-checks every address (DNS rebinding).
                return new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, ConnectCallback = targets.ConnectAsync };
            });
        services.ConfigureMarten(opts =>
        {
            opts.Schema.For<Subscription>().Identity(x => x.Id);
            opts.Schema.For<AlertDelivery>().Identity(x => x.Id).Index(x => x.SubscriptionId);
            opts.Schema.For<AnnouncedStage>().Identity(x => x.Id);
            opts.Schema.For<RecordedStageChange>().Identity(x => x.Id).Index(x => x.NegotiationId).Index(x => x.RecordedAt);
        });
        return services;
    }

    /// <summary>
    /// Wolverine: alert messages run on two durable local queues, the fan-out's and the deliveries' (their envelopes live in
    /// Wolverine's PostgreSQL inbox, so a crash or a restart loses none); a failed POST is retried after each of <see cref="AlertOptions.RetryDelays"/> (scheduled,
    /// durable) and then moved to the dead-letter table; one answered 410 Gone goes there at once; a copy that finds another
    /// attempt under way looks again after <see cref="AlertOptions.Lease"/>.
    /// </summary>
    public static void UseAlerts(this WolverineOptions opts, IConfiguration configuration)
    {
        // Checked here, at start: a setting that cannot work stops the start naming its key.
        var settings = AlertOptions.From(configuration);
        opts.PublishMessage<StageChanged>().ToLocalQueue(Queue);
        opts.PublishMessage<DeliverAlert>().ToLocalQueue(DeliveryQueue);
        opts.PublishMessage<WindowExpiryDue>().ToLocalQueue(Queue);
        opts.LocalQueue(Queue).UseDurableInbox();
        opts.LocalQueue(DeliveryQueue).UseDurableInbox();
        opts.Policies.OnException<WebhookDeliveryFailed>().ScheduleRetry(settings.RetryDelays).Then.MoveToErrorQueue();
        // A receiver that answers 410 Gone has said the URL will not come back: no retries.
        opts.Policies.OnException<WebhookGone>().MoveToErrorQueue();
        // Another attempt holds the delivery (a copy beside it, a node that died mid-POST): look again once that claim has
        // been resolved or has lapsed — never dead-lettered for it, and the slot is not held while waiting.
        opts.Policies.OnException<DeliveryInFlight>().ScheduleRetryIndefinitely(settings.Lease);
    }
}
