using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Normalization.Api.Telemetry;
using Normalization.Api.Tests.Support;

namespace Normalization.Api.Tests.Reliability;

/// <summary>
/// The outage log filter (<see cref="OutageLogging"/>) on its own, on a fake clock: while the database is away, a message
/// Wolverine retries logs under the message type's category ("Failed to process message …"), and Wolverine's runtime says
/// "Envelope … was rescheduled to queue" after every try, without an exception. A fresh-clone CI run counted 19 + 15 such
/// lines in 10 s of outage (the alerts' deliveries), where the filter promises one line per category per minute.
/// </summary>
public sealed class OutageLoggingTests
{
    static readonly Npgsql.NpgsqlException Refused = new("Failed to connect to 127.0.0.1:45633", new System.Net.Sockets.SocketException(111));

    static (OutageLogging Filter, LogCapture Capture, FakeTimeProvider Clock) Given()
    {
        var capture = new LogCapture();
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-03T11:00:00Z"));
        var inner = LoggerFactory.Create(b => b.AddProvider(capture).SetMinimumLevel(LogLevel.Trace));
        return (new OutageLogging(inner, clock), capture, clock);
    }

    [Fact]
    public void Given_the_database_away_When_a_retried_message_and_the_runtime_log_every_try_Then_each_kind_comes_once_a_minute()
    {
        // Given an outage a background loop has reported
        var (filter, capture, clock) = Given();
        var mark = capture.Mark();
        filter.CreateLogger("Wolverine.RDBMS.DurabilityAgent").LogError(Refused, "Error while polling");

        // When a delivery fails 19 times on the database, and the runtime says 15 times that it rescheduled it, in 10 s
        var delivery = filter.CreateLogger("Normalization.Api.Alerts.Delivering.DeliverAlert");
        var runtime = filter.CreateLogger("Wolverine.Runtime.WolverineRuntime");
        for (var i = 0; i < 19; i++) delivery.LogError(Refused, "Failed to process message DeliverAlert#{Id}", i);
        for (var i = 0; i < 15; i++) runtime.LogError(new EventId(104, "Rescheduled"), "Envelope {Envelope} was rescheduled to queue", i);
        clock.Advance(TimeSpan.FromSeconds(10));

        // Then three lines in all: the loop's, one for the delivery, one for the rescheduling
        var lines = capture.Since(mark).Where(e => e.Level >= LogLevel.Warning).ToList();
        lines.Select(l => l.Category).ShouldBe(["Wolverine.RDBMS.DurabilityAgent", "Normalization.Api.Alerts.Delivering.DeliverAlert", "Wolverine.Runtime.WolverineRuntime"],
            string.Join("\n", lines));
        lines.ShouldAllBe(l => l.Message.StartsWith("Database unavailable", StringComparison.Ordinal) && l.Exception == null, string.Join("\n", lines));
        lines[2].Message.ShouldBe("Database unavailable at the time: Envelope 0 was rescheduled to queue (this kind not logged again for 60 s)");

        // And a minute later each kind may say it again
        clock.Advance(OutageLogging.Quiet);
        filter.CreateLogger("Wolverine.RDBMS.DurabilityAgent").LogError(Refused, "Error while polling");
        runtime.LogError(new EventId(104, "Rescheduled"), "Envelope {Envelope} was rescheduled to queue", 16);
        capture.Since(mark).Count(e => e.Level >= LogLevel.Warning).ShouldBe(5);
    }

    [Fact]
    public void Given_the_database_away_When_a_consequence_carries_its_own_exception_Then_its_type_and_message_stay_and_its_stack_trace_goes()
    {
        // Given an outage a background loop has reported
        var (filter, capture, _) = Given();
        var mark = capture.Mark();
        filter.CreateLogger("Wolverine.RDBMS.DurabilityAgent").LogError(Refused, "Error while polling");

        // When a retried delivery fails on its transaction, a consequence of the outage, twice
        var delivery = filter.CreateLogger("Normalization.Api.Alerts.Delivering.DeliverAlert");
        Exception completed;
        try { throw new InvalidOperationException("Transaction is already completed"); } catch (InvalidOperationException e) { completed = e; }
        delivery.LogError(completed, "Failed to process message DeliverAlert#{Id}", 1);
        delivery.LogError(completed, "Failed to process message DeliverAlert#{Id}", 2);

        // Then one Error line names the failure and its exception, without the stack trace
        var line = capture.Since(mark).Where(e => e.Category.EndsWith("DeliverAlert", StringComparison.Ordinal)).ShouldHaveSingleItem();
        line.Level.ShouldBe(LogLevel.Error);
        line.Exception.ShouldBeNull();
        line.Message.ShouldBe("Database unavailable at the time: Failed to process message DeliverAlert#1 (InvalidOperationException: Transaction is already completed; this kind not logged again for 60 s)");
    }

    [Fact]
    public void Given_no_outage_When_the_framework_logs_an_error_without_the_databases_exception_Then_every_line_passes()
    {
        // Given a database that answers, When the runtime logs the same error three times
        var (filter, capture, _) = Given();
        var mark = capture.Mark();
        var runtime = filter.CreateLogger("Wolverine.Runtime.WolverineRuntime");
        for (var i = 0; i < 3; i++) runtime.LogError(new EventId(104, "Rescheduled"), "Envelope {Envelope} was rescheduled to queue", i);

        // Then all three are logged: outside an outage nothing is collapsed
        capture.Since(mark).Count(e => e.Level >= LogLevel.Error).ShouldBe(3);
    }
}
