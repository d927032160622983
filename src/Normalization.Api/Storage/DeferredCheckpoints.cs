using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;
using Wolverine.RDBMS;
using Wolverine.Runtime;
using Npgsql;

namespace Normalization.Api.Storage;

/// <summary>
/// A message (durable local queue <see cref="DeferredCheckpoints.Queue"/>): the current fold checkpoints of
/// <paramref name="NegotiationId"/> have gaps — a late event, retraction or correction closed the checkpoints after it and
/// its append left their successors to be written after the commit. Handled by <see cref="CheckpointsDueHandler"/>.
/// </summary>
/// <param name="NegotiationId">The negotiation's slug.</param>
public sealed record CheckpointsDue(string NegotiationId);

/// <summary>
/// Lets a late event's append leave its checkpoints to Wolverine (issue 17, part 3: packing and writing the ~90 checkpoints
/// after a mid-history event of a 100,000-event record cost more than folding it). The append closes the checkpoints
/// after its change, as before, and records a <see cref="CheckpointsDue"/> in its own transaction through Wolverine's
/// outbox; after the commit, <see cref="CheckpointsDueHandler"/> writes the missing ones
/// (<see cref="NegotiationStore.CompleteCheckpointsAsync"/>). Until then a read starts from the last current checkpoint
/// before the gap and folds more events: answers never change, only their cost. Where Wolverine is not running (the data
/// commands, the first-run seed) the append writes its checkpoints itself.
/// </summary>
public sealed class DeferredCheckpoints(IWolverineRuntime runtime, Microsoft.Extensions.Hosting.IHostApplicationLifetime lifetime)
{
    /// <summary>The durable local queue <see cref="CheckpointsDue"/> runs on (its own, so checkpoints never wait behind webhook deliveries).</summary>
    public const string Queue = "checkpoints";

    /// <summary>Whether an append may leave its checkpoints to Wolverine: the host has started, so Wolverine runs its handlers.</summary>
    public bool Available => lifetime.ApplicationStarted.IsCancellationRequested && runtime.Storage is IMessageDatabase;

    /// <summary>Records a <see cref="CheckpointsDue"/> for <paramref name="negotiationId"/> in <paramref name="tx"/>; flush the result after the commit.</summary>
    public async Task<Alerts.Notifying.StageChangeAlerts.Enlisted> EnlistAsync(NpgsqlTransaction tx, string negotiationId)
    {
        var context = new MessageContext(runtime);
        context.EnlistInOutbox(new DatabaseEnvelopeTransaction((IMessageDatabase)runtime.Storage, tx));
        await context.PublishAsync(new CheckpointsDue(negotiationId));
        return new Alerts.Notifying.StageChangeAlerts.Enlisted(context);
    }
}

/// <summary>Writes the checkpoints a late event left to Wolverine. Idempotent: a second copy, or one after a later append wrote them, finds no gap.</summary>
public static class CheckpointsDueHandler
{
    /// <summary>How long one message may run (seconds): far above the ~10 s a mid-history event of a 1,000,000-event record takes on a quiet machine.</summary>
    public const int ExecutionTimeoutSeconds = 3600;

    /// <summary>
    /// No 60-second cut-off, and retries. Wolverine's default execution timeout for local queues (60 s) cancelled the work of
    /// a mid-history event in a 1,000,000-event record on a loaded machine (docs/benchmarks.md section 5) and moved the message
    /// to the error queue: the gap then stayed until the next late event, every read starting further back. The work commits
    /// chunk by chunk, so a retry after a database error goes on where it stopped.
    /// </summary>
    public static void Configure(HandlerChain chain)
    {
        chain.ExecutionTimeoutInSeconds = ExecutionTimeoutSeconds;
        chain.OnException<NpgsqlException>().Or<TimeoutException>().RetryWithCooldown(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60));
    }

    /// <summary>Fills the gaps in <see cref="CheckpointsDue.NegotiationId"/>'s current checkpoints (under its stream lock).</summary>
    public static Task Handle(CheckpointsDue message, NegotiationStore store, CancellationToken ct) =>
        store.CompleteCheckpointsAsync(message.NegotiationId, ct);
}

/// <summary>Wolverine routing of <see cref="CheckpointsDue"/>.</summary>
public static class DeferredCheckpointsSetup
{
    /// <summary><see cref="CheckpointsDue"/> runs on its own durable local queue (envelopes in Wolverine's PostgreSQL inbox: a crash loses none).</summary>
    public static void UseDeferredCheckpoints(this WolverineOptions opts)
    {
        opts.PublishMessage<CheckpointsDue>().ToLocalQueue(DeferredCheckpoints.Queue);
        opts.LocalQueue(DeferredCheckpoints.Queue).UseDurableInbox().Sequential();
    }
}
