using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Importing;
using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using Normalization.Domain.Catalog;
using Normalization.Domain.Stages;

namespace Normalization.Api.Tests.Importing;

[Collection(ApiCollection.Name)]
public class ImportExportTests(AppFixture app)
{
    static string SeedFile => Path.Combine(AppContext.BaseDirectory, "Seed", "us-taliban.ndjson");
    NegotiationStore Store => app.Host.Services.GetRequiredService<NegotiationStore>();
    Importer Importer => app.Host.Services.GetRequiredService<Importer>();
    Exporter Exporter => app.Host.Services.GetRequiredService<Exporter>();

    static readonly string[] KeyDates = ["2019-12-31", "2020-03-01", "2021-09-01", "2025-02-01", "2025-04-15"];

    async Task<string> ImportSeedAsync()
    {
        var id = TestApi.NewId("seed");
        var report = await Importer.ImportAsync(new ImportRequest { Path = SeedFile, Into = id });
        report.Errors.ShouldBeEmpty();
        report.Created.ShouldBeTrue();
        report.Stored.ShouldBe(TestApi.SeedEvents().Count);
        return id;
    }

    async Task<string> ExportAsync(string id, ExportFormat format, string extension)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{id}.{Guid.NewGuid():N}.{extension}");
        await using (var file = File.Create(path)) await Exporter.ExportAsync(id, format, null, file);
        return path;
    }

    /// <summary>The state as JSON, without the negotiation's own id (round trips land in another negotiation).</summary>
    async Task<string> StateJsonAsync(string id, string asOf, DateTimeOffset? knownAt = null)
    {
        var state = (await Store.StateAsOfAsync(id, DateOnly.Parse(asOf), knownAt))!;
        return JsonSerializer.Serialize(state with { NegotiationId = "" }, EventJson.Options);
    }

    [Theory]
    [InlineData("2019-12-31", Stage.Estrangement, "no-contact")]
    [InlineData("2020-03-01", Stage.ConfidenceBuilding, "talks-and-mutual-gestures")]
    [InlineData("2021-09-01", Stage.Estrangement, "no-contact")]
    [InlineData("2025-02-01", Stage.Estrangement, "no-contact")]
    [InlineData("2025-04-15", Stage.ConfidenceBuilding, "talks-and-mutual-gestures")]
    public async Task Given_the_seed_imported_through_the_store_When_asked_at_a_key_date_Then_the_stage_and_rule_are_those_expected(string asOf, Stage stage, string rule)
    {
        var id = await ImportSeedAsync();

        var state = (await Store.StateAsOfAsync(id, DateOnly.Parse(asOf)))!;
        var refolded = (await Store.StateAsOfAsync(id, DateOnly.Parse(asOf), knownAt: DateTimeOffset.UtcNow.AddMinutes(1)))!;

        state.Stage.ShouldBe(stage);
        state.Why.Rule.ShouldBe(rule);
        refolded.Stage.ShouldBe(stage); // the same answer by refolding the recorded history
        refolded.Why.Rule.ShouldBe(rule);
    }

    [Fact]
    public async Task Given_an_NDJSON_export_When_imported_into_a_new_negotiation_Then_every_state_is_the_same()
    {
        var source = await ImportSeedAsync();
        var file = await ExportAsync(source, ExportFormat.Ndjson, "ndjson");
        var target = TestApi.NewId("copy");

        var report = await Importer.ImportAsync(new ImportRequest { Path = file, Into = target });

        report.Errors.ShouldBeEmpty();
        report.Created.ShouldBeTrue();
        report.Stored.ShouldBe(TestApi.SeedEvents().Count);
        foreach (var date in KeyDates.Append("2026-06-01"))
            (await StateJsonAsync(target, date)).ShouldBe(await StateJsonAsync(source, date), $"as of {date}");
    }

    [Fact]
    public async Task Given_a_CSV_export_When_imported_into_a_new_negotiation_with_its_parties_Then_every_state_is_the_same()
    {
        var source = await ImportSeedAsync();
        var file = await ExportAsync(source, ExportFormat.Csv, "csv");
        var opening = (await Store.LoadHistoryAsync(source))!.Opening;
        var target = TestApi.NewId("csv");

        var report = await Importer.ImportAsync(new ImportRequest
            { Path = file, Into = target, Title = opening.Title, Parties = opening.Parties, Mediators = opening.Mediators, CoveredUntil = opening.CoveredUntil });

        report.Errors.ShouldBeEmpty();
        report.Stored.ShouldBe(TestApi.SeedEvents().Count);
        foreach (var date in KeyDates.Append("2026-06-01"))
            (await StateJsonAsync(target, date)).ShouldBe(await StateJsonAsync(source, date), $"as of {date}");
    }

    [Fact]
    public async Task Given_a_file_imported_into_a_new_negotiation_with_its_parties_Then_each_party_profile_lists_it()
    {
        // The bulk path starts the stream through a Marten session: the inline PartyProfileProjection runs for it too.
        var source = await ImportSeedAsync();
        var file = await ExportAsync(source, ExportFormat.Csv, "csv");
        var opening = (await Store.LoadHistoryAsync(source))!.Opening;
        var target = TestApi.NewId("csvp");

        var report = await Importer.ImportAsync(new ImportRequest { Path = file, Into = target, Title = "imported", Parties = opening.Parties });

        report.Errors.ShouldBeEmpty();
        report.Created.ShouldBeTrue();
        await using var q = app.Store.QuerySession();
        foreach (var party in opening.Parties)
        {
            var profile = await q.LoadAsync<PartyProfile>(party.Code);
            profile.ShouldNotBeNull();
            profile.NegotiationIds.ShouldContain(source);
            profile.NegotiationIds.ShouldContain(target);
            profile.NegotiationIds.Count(n => n == target).ShouldBe(1);
        }
    }

    [Fact]
    public async Task Given_a_stage_export_Then_it_lists_the_transitions_with_rules_and_events()
    {
        var id = await ImportSeedAsync();
        var file = await ExportAsync(id, ExportFormat.Stages, "csv");

        var lines = File.ReadAllLines(file);

        lines[0].ShouldBe("on,from,to,rule,eventIds,projected");
        lines.ShouldContain(l => l.StartsWith("2020-02-29,Estrangement,ConfidenceBuilding,talks-and-mutual-gestures,"));
        lines.ShouldContain(l => l.StartsWith("2025-03-20,Estrangement,ConfidenceBuilding,talks-and-mutual-gestures,"));
    }

    [Fact]
    public async Task Given_a_file_with_bad_lines_When_imported_Then_errors_name_lines_and_fields_and_nothing_is_stored()
    {
        var id = TestApi.NewId("bad");
        var lines = File.ReadLines(SeedFile).Take(4).ToList();
        lines.Add("{not json");                                                                                       // line 5
        lines.Add("""{"type":"TalksHeld","occurredOn":"2999-01-01","actor":"US","target":"TB","participants":["US","TB"]}"""); // line 6: in the future
        lines.Add("""{"type":"NoSuchThing","occurredOn":"2024-01-01","actor":"US"}""");                               // line 7
        lines.Add(File.ReadLines(SeedFile).Skip(5).First());                                                          // line 8: fine
        var path = Path.Combine(Path.GetTempPath(), $"{id}.ndjson");
        await File.WriteAllLinesAsync(path, lines);

        var report = await Importer.ImportAsync(new ImportRequest { Path = path, Into = id });

        report.Succeeded.ShouldBeFalse();
        var all = string.Join("\n", report.Errors.Select(e => $"{e.Line} {e.Path} {e.Code}"));
        report.Errors.ShouldContain(e => e.Line == 5 && e.Code == "malformed_json");
        report.Errors.ShouldContain(e => e.Line == 6 && e.Path == "occurredOn" && e.Code == "in_future", all);
        report.Errors.ShouldContain(e => e.Line == 7 && e.Path == "type" && e.Code == "unknown_event_type");
        report.Errors.ShouldNotContain(e => e.Line == 8 || e.Line < 5);
        report.Stored.ShouldBe(0);
        (await Store.VersionAsync(id)).ShouldBeNull(); // not even created
    }

    /// <summary>An NDJSON file of 9,000 events (blank lines between some): more than two of the reader's parallel blocks.</summary>
    static (string Path, List<NegotiationEvent> Events) LargeFile(string id, Func<int, string?>? replace = null)
    {
        var rnd = new Random(9000);
        var events = new List<NegotiationEvent>();
        var lines = new List<string> { File.ReadLines(SeedFile).First() };
        for (var i = 0; i < 9_000; i++)
        {
            NegotiationEvent e = (i % 3) switch
            {
                0 => new TalksHeld { Participants = ["US", "TB"] },
                1 => new StatementIssued { Tone = Tone.Positive },
                _ => new ThreatIssued(),
            };
            e = e with { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(new DateOnly(2000, 1, 1).AddDays(rnd.Next(9000))), Actor = i % 2 == 0 ? "US" : "TB", Target = i % 2 == 0 ? "TB" : "US" };
            events.Add(e);
            lines.Add(replace?.Invoke(lines.Count + 1) ?? EventJson.Serialize(e));
            if (i % 1000 == 0) lines.Add("");
        }
        var path = Path.Combine(Path.GetTempPath(), $"{id}.ndjson");
        File.WriteAllLines(path, lines);
        return (path, events);
    }

    [Fact]
    public async Task Given_a_file_larger_than_a_parse_block_When_imported_Then_every_event_is_stored_in_file_order()
    {
        var id = TestApi.NewId("large");
        var (path, events) = LargeFile(id);

        var report = await Importer.ImportAsync(new ImportRequest { Path = path, Into = id });

        report.Errors.ShouldBeEmpty();
        report.Stored.ShouldBe(events.Count);
        var history = (await Store.LoadHistoryAsync(id))!;
        history.Events.Select(r => r.Event.EventId).ShouldBe(events.Select(e => e.EventId), "versions follow the file's order");
        JsonSerializer.Serialize((await Store.StateAsOfAsync(id, new DateOnly(2010, 1, 1)))! with { NegotiationId = "" }, EventJson.Options)
            .ShouldBe(JsonSerializer.Serialize(Normalization.Domain.Folding.NegotiationFold.StateAsOf(history.Opening, events, new DateOnly(2010, 1, 1)) with { NegotiationId = "" }, EventJson.Options));
    }

    [Fact]
    public async Task Given_a_large_file_with_bad_lines_in_different_blocks_When_imported_Then_each_error_names_its_own_line_and_nothing_is_stored()
    {
        var id = TestApi.NewId("largebad");
        var (path, _) = LargeFile(id, line => line switch
        {
            1_234 => "{not json",
            5_000 => """{"type":"TalksHeld","occurredOn":"2999-01-01","actor":"US","target":"TB","participants":["US","TB"]}""",
            8_765 => """{"type":"NoSuchThing","occurredOn":"2024-01-01","actor":"US"}""",
            _ => null,
        });

        var report = await Importer.ImportAsync(new ImportRequest { Path = path, Into = id });

        report.Errors.Select(e => (e.Line, e.Code)).ShouldBe([(1_234, "malformed_json"), (5_000, "in_future"), (8_765, "unknown_event_type")]);
        (await Store.VersionAsync(id)).ShouldBeNull();
    }

    [Fact]
    public async Task Given_a_bad_CSV_row_When_imported_into_an_existing_negotiation_Then_it_is_reported_by_line_and_nothing_is_appended()
    {
        var id = await ImportSeedAsync();
        var csv = await ExportAsync(id, ExportFormat.Csv, "csv");
        var rows = File.ReadAllLines(csv).Take(1).ToList();
        rows.Add($"{Guid.NewGuid()},TalksHeld,2030-01-01,US,TB,Confirmed,,,,,[],,\"{{\"\"participants\"\":[\"\"US\"\",\"\"TB\"\"]}}\"");
        var path = Path.Combine(Path.GetTempPath(), $"{id}.bad.csv");
        await File.WriteAllLinesAsync(path, rows);
        var before = await Store.VersionAsync(id);

        var report = await Importer.ImportAsync(new ImportRequest { Path = path, Into = id });

        report.Errors.ShouldContain(e => e.Line == 2 && e.Path == "occurredOn" && e.Code == "in_future");
        (await Store.VersionAsync(id)).ShouldBe(before);
    }

    [Fact]
    public async Task Given_a_file_already_imported_When_imported_again_Then_nothing_new_is_stored_and_duplicates_are_counted()
    {
        var id = await ImportSeedAsync();
        var version = await Store.VersionAsync(id);

        var again = await Importer.ImportAsync(new ImportRequest { Path = SeedFile, Into = id });

        again.Errors.ShouldBeEmpty();
        again.Created.ShouldBeFalse();
        again.Stored.ShouldBe(0);
        again.Duplicates.ShouldBe(TestApi.SeedEvents().Count);
        (await Store.VersionAsync(id)).ShouldBe(version);
    }

    [Fact]
    public async Task Given_events_without_ids_When_the_file_is_imported_twice_Then_the_second_time_stores_nothing()
    {
        var id = TestApi.NewId("noid");
        var lines = File.ReadLines(SeedFile).Take(6)
            .Select((l, i) => i == 0 ? l : System.Text.RegularExpressions.Regex.Replace(l, "\"eventId\":\"[^\"]+\",", "")).ToList();
        var path = Path.Combine(Path.GetTempPath(), $"{id}.ndjson");
        await File.WriteAllLinesAsync(path, lines);

        var first = await Importer.ImportAsync(new ImportRequest { Path = path, Into = id });
        var second = await Importer.ImportAsync(new ImportRequest { Path = path, Into = id });

        first.Errors.ShouldBeEmpty();
        first.Stored.ShouldBe(5);
        second.Stored.ShouldBe(0);
        second.Duplicates.ShouldBe(5);
    }
}
