using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.Logging;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Storage;

/// <summary>
/// A new-user trial saw a retried post (an eventId already stored) and a create of an existing id logged by Marten at
/// <c>fail</c>, with a stack trace and the insert's parameters (the event's data) — for answers that are a routine 201 and
/// 409. Those conflicts now log no error and no data; a real failure of a command is still an error (Storage/MartenLogging.cs).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RoutineConflictLogTests(AppFixture app)
{
    const string Marker = "note-that-must-stay-out-of-the-log";

    [Fact]
    public async Task Given_a_stored_event_and_a_negotiation_When_the_event_is_posted_again_and_the_id_created_again_Then_nothing_is_logged_as_an_error_and_no_event_data_is_logged()
    {
        var id = await app.GivenNegotiation("quietlog");
        var talks = Talks(Day(10));
        talks["note"] = Marker;
        await app.GivenEvents(id, talks);
        var mark = app.Logs.Mark();

        var (again, body) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { (JsonObject)talks.DeepClone() } });
        var (created, problem) = await app.PostJson("/api/negotiations", Negotiation(id));

        again.ShouldBe(201);
        body!["duplicates"]!.GetValue<int>().ShouldBe(1);
        created.ShouldBe(409);
        problem.ShouldBeProblem("negotiation_exists");
        // The fixture is shared: other tests' background work (webhook deliveries retried by Wolverine) logs in the same
        // window; only what the two requests' path logs counts here.
        var logged = app.Logs.Since(mark).Where(e => !e.Category.StartsWith("Normalization.Api.Alerts", StringComparison.Ordinal)
            && !e.Category.StartsWith("Wolverine.Runtime", StringComparison.Ordinal) && !e.Category.StartsWith("System.Net.Http", StringComparison.Ordinal)).ToList();
        logged.Where(e => e.Level >= LogLevel.Error).ShouldBeEmpty(string.Join("\n", logged));
        logged.Where(e => (e.Message + e.Exception).Contains(Marker, StringComparison.Ordinal)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_a_command_that_fails_for_a_real_reason_When_it_runs_Then_Marten_logs_an_error_with_its_SQL_and_without_its_parameter_values()
    {
        var mark = app.Logs.Mark();
        await using var session = app.Store.LightweightSession();
        // A division by zero whose operands come from two parameters: the values must not reach the log.
        session.QueueSqlCommand("select 1 / (length(?) - length(?))", Marker, Marker);

        await Should.ThrowAsync<Exception>(() => session.SaveChangesAsync());

        var errors = app.Logs.Since(mark).Where(e => e.Level >= LogLevel.Error && e.Category.StartsWith("Marten", StringComparison.Ordinal)).ToList();
        errors.ShouldNotBeEmpty();
        errors.ShouldContain(e => e.Message.Contains("length(", StringComparison.Ordinal) && e.Exception!.Contains("22012", StringComparison.Ordinal));
        errors.Where(e => (e.Message + e.Exception).Contains(Marker, StringComparison.Ordinal)).ShouldBeEmpty();
    }
}
