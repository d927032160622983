using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Importing;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;

namespace Normalization.Api.Tests.Importing.EventData;

/// <summary>
/// Issue 19: GDELT, ICEWS and POLECAT files (fixtures written from the code books) imported into the US–Taliban dyad:
/// the mapping, the merge, the skip counts, idempotent re-import, landing as a scenario, bad rows.
/// </summary>
[Collection(ApiCollection.Name)]
public class EventDataImportTests(AppFixture app)
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Importing", "EventData", "Fixtures", name);
    Importer Importer => app.Host.Services.GetRequiredService<Importer>();

    public static readonly (string, string)[] GdeltParties = [("US", "USA"), ("TB", "AFGTAL")];
    static readonly (string, string)[] NamedParties = [("US", "United States"), ("TB", "Taliban")];
    static readonly (string, string)[] PolecatParties = [("US", "USA"), ("TB", "Taliban")];

    async Task<string> NegotiationAsync()
    {
        var id = TestApi.NewId("ed");
        (await app.PostJson("/api/negotiations", TestApi.UsTaliban(id))).Status.ShouldBe(201);
        return id;
    }

    Task<ImportReport> ImportAsync(string id, string file, string format, (string, string)[] parties, string? scenario = null) =>
        Importer.ImportAsync(new ImportRequest { Path = Fixture(file), Format = format, Into = id, PartyActors = parties, Scenario = scenario, Commit = scenario is null });

    async Task<List<JsonNode>> TimelineAsync(string id)
    {
        var (status, body) = await app.GetJson($"/api/negotiations/{id}/timeline?pageSize=200");
        status.ShouldBe(200);
        return body!["items"]!.AsArray().Select(i => i!).ToList();
    }

    [Fact]
    public async Task Given_a_GDELT_2_export_When_committed_Then_rows_of_one_day_dyad_and_type_are_one_event_with_its_sources_and_the_skips_are_counted()
    {
        var id = await NegotiationAsync();

        var report = await ImportAsync(id, "gdelt-2.0-us-taliban.tsv", "gdelt", GdeltParties);

        report.Errors.ShouldBeEmpty();
        report.Stored.ShouldBe(4);
        report.BlankRows.ShouldBe(1);
        var data = report.EventData!;
        (data.Rows, data.OtherActors, data.SameParty, data.Ambiguous, data.RepeatedIds, data.MappedRows, data.Events).ShouldBe((12, 2, 1, 0, 1, 6, 4));
        data.Unmapped.ShouldBe(new SortedDictionary<string, int> { ["CAMEO 1056"] = 1 });
        data.Ignored.ShouldBe(new SortedDictionary<string, int> { ["CAMEO 081"] = 1 });

        var events = await TimelineAsync(id);
        events.Select(e => (string)e["type"]!).ShouldBe(["TalksHeld", "PrisonerReleased", "SanctionsImposed", "SanctionsEased"]);
        var talks = events[0];
        ((string)talks["occurredOn"]!).ShouldBe("2025-03-20");
        ((string)talks["confidence"]!).ShouldBe("Reported"); // three publishers: cnn, aljazeera, reuters
        talks["sources"]!.AsArray().Select(s => (string)s!["publisher"]!).ShouldBe(["cnn.com", "aljazeera.com", "reuters.com"]);
        ((string)talks["note"]!).ShouldContain("GLOBALEVENTID 1001, 1002, 1003");
        ((string)talks["note"]!).ShouldContain("CAMEO 043, CAMEO 046");
        talks["event"]!["participants"]!.AsArray().Select(p => (string)p!).ShouldBe(["US", "TB"]);
        ((string)events[1]["confidence"]!).ShouldBe("Confirmed"); // GDELT counted 6 sources for the release
        ((string)events[1]["actor"]!).ShouldBe("TB");
        ((string)events[2]["confidence"]!).ShouldBe("Rumoured"); // one source: left out of the stage
        ((string)events[3]["occurredOn"]!).ShouldBe("2025-04-05"); // the GDELT 1.0 (58-column) row
    }

    [Fact]
    public async Task Given_a_GDELT_file_already_imported_When_it_or_an_overlapping_file_is_imported_again_Then_nothing_is_stored_twice()
    {
        var id = await NegotiationAsync();
        (await ImportAsync(id, "gdelt-2.0-us-taliban.tsv", "gdelt", GdeltParties)).Stored.ShouldBe(4);

        var again = await ImportAsync(id, "gdelt-2.0-us-taliban.tsv", "gdelt", GdeltParties);
        var lines = File.ReadAllLines(Fixture("gdelt-2.0-us-taliban.tsv"));
        var overlap = Path.Combine(Path.GetTempPath(), $"{id}.overlap.tsv");
        // A later export: two rows of the first file, and a new report of the same talks from another outlet.
        File.WriteAllLines(overlap, [lines[0], lines[3], lines[0].Replace("1001\t", "2001\t").Replace("cnn.com", "apnews.com")]);
        var overlapping = await Importer.ImportAsync(new ImportRequest { Path = overlap, Format = "gdelt", Into = id, PartyActors = GdeltParties, Commit = true });

        again.Errors.ShouldBeEmpty();
        (again.Stored, again.Duplicates).ShouldBe((0, 4));
        overlapping.Errors.ShouldBeEmpty();
        (overlapping.Stored, overlapping.Duplicates).ShouldBe((0, 2));
        (await TimelineAsync(id)).Count.ShouldBe(4);
    }

    [Fact]
    public async Task Given_a_GDELT_file_When_landed_as_a_scenario_Then_the_record_is_unchanged_and_the_scenario_reruns_with_its_events()
    {
        var id = await NegotiationAsync();

        var report = await ImportAsync(id, "gdelt-2.0-us-taliban.tsv", "gdelt", GdeltParties, scenario: "gdelt-march");

        report.Errors.ShouldBeEmpty();
        (report.Scenario, report.ScenarioEvents, report.Stored).ShouldBe(("gdelt-march", 4, 0));
        report.StageWithScenario.ShouldNotBeNull();
        (await TimelineAsync(id)).ShouldBeEmpty();
        var (status, body) = await app.GetJson($"/api/negotiations/{id}/scenarios/gdelt-march?asOf=2025-04-10");
        status.ShouldBe(200);
        body!["hypothetical"]!.AsArray().Select(h => (string)h!["type"]!).Order().ShouldBe(["PrisonerReleased", "SanctionsEased", "SanctionsImposed", "TalksHeld"]);
    }

    [Fact]
    public async Task Given_an_ICEWS_file_When_committed_Then_names_match_the_parties_leading_zeros_are_restored_and_both_directions_of_talks_merge()
    {
        var id = await NegotiationAsync();

        var report = await ImportAsync(id, "icews-us-taliban.tab", "icews", NamedParties);

        report.Errors.ShouldBeEmpty();
        var data = report.EventData!;
        (data.Rows, data.OtherActors, data.MappedRows, data.Events).ShouldBe((6, 1, 4, 3));
        data.Unmapped.Keys.ShouldBe(["CAMEO 1056"]);
        report.BlankRows.ShouldBe(1);
        var events = await TimelineAsync(id);
        events.Select(e => (string)e["type"]!).ShouldBe(["TalksHeld", "PrisonerReleased", "SanctionsImposed"]); // 841 is 0841
        events[0]["sources"]!.AsArray().Select(s => (string)s!["publisher"]!).ShouldBe(["Reuters", "Agence France-Presse"]);
        ((string)events[0]["confidence"]!).ShouldBe("Reported");
        ((string)events[0]["note"]!).ShouldContain("ICEWS: 2 row(s) merged");
    }

    [Fact]
    public async Task Given_an_ICEWS_file_naming_a_party_with_letters_beyond_ASCII_in_capitals_When_committed_Then_its_rows_match_as_the_name_given()
    {
        // Given the ICEWS fixture with the Taliban named "ṬĀLIBĀN", and the party given as "Ṭālibān"
        var id = await NegotiationAsync();
        const string name = "\u1E6C\u0101lib\u0101n"; // Ṭālibān
        var path = Path.Combine(Path.GetTempPath(), $"names-{Guid.NewGuid():N}.tab");
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(Fixture("icews-us-taliban.tab"))).Replace("Taliban", name.ToUpperInvariant()));

        // When it is committed with TB named "Ṭālibān"
        var report = await Importer.ImportAsync(new ImportRequest
        {
            Path = path, Format = "icews", Into = id, Commit = true, PartyActors = [("US", "United States"), ("TB", name)],
        });

        // Then the rows match as in the fixture with "Taliban": none is counted among other actors for its capitals
        report.Errors.ShouldBeEmpty();
        (report.EventData!.Rows, report.EventData.OtherActors, report.EventData.MappedRows, report.EventData.Events).ShouldBe((6, 1, 4, 3));
    }

    [Fact]
    public async Task Given_a_POLECAT_file_When_committed_Then_PLOVER_types_and_modes_map_and_the_rest_are_counted_by_code()
    {
        var id = await NegotiationAsync();

        var report = await ImportAsync(id, "polecat-us-taliban.tsv", "polecat", PolecatParties);

        report.Errors.ShouldBeEmpty();
        var data = report.EventData!;
        (data.Rows, data.OtherActors, data.Events).ShouldBe((6, 1, 2));
        data.Ignored.ShouldBe(new SortedDictionary<string, int> { ["PLOVER CONSULT/phone"] = 1 });
        data.Unmapped.ShouldBe(new SortedDictionary<string, int> { ["PLOVER PROTEST/demo"] = 1 });
        (await TimelineAsync(id)).Select(e => (string)e["type"]!).ShouldBe(["TalksHeld", "PrisonerReleased"]);
    }

    [Fact]
    public async Task Given_bad_rows_When_imported_Then_each_is_reported_with_its_line_and_nothing_is_stored()
    {
        var id = await NegotiationAsync();

        var gdelt = await ImportAsync(id, "gdelt-bad-rows.tsv", "gdelt", GdeltParties);
        var icews = await ImportAsync(id, "icews-excel-dates.tab", "icews", NamedParties);

        gdelt.Errors.Select(e => (e.Line, e.Code)).ShouldBe([(2, "wrong_column_count"), (3, "invalid_date")]);
        gdelt.Stored.ShouldBe(0);
        icews.Errors.Select(e => (e.Line, e.Code)).ShouldBe([(2, "excel_date")]);
        icews.Errors[0].Message.ShouldContain("YYYY-MM-DD");
        (await TimelineAsync(id)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("icews", "icews-us-taliban.tab")]
    [InlineData("polecat", "polecat-us-taliban.tsv")]
    public async Task Given_a_file_with_a_header_whose_rows_are_cut_short_or_shifted_When_imported_Then_each_is_an_error_on_its_line_and_nothing_is_stored(
        string format, string file)
    {
        var id = await NegotiationAsync();
        var lines = File.ReadAllLines(Fixture(file)).ToList();
        var width = lines[0].Split('\t').Length;
        // Line 2 (the first row, between the parties) gets a tab inside its text; the file's last row is cut off after its
        // seventh cell, before the target (as a download that stopped), with no line end.
        var shifted = lines[1].Split('\t').ToList();
        shifted.Insert(5, "stray");
        lines[1] = string.Join('\t', shifted);
        lines[^1] = string.Join('\t', lines[^1].Split('\t').Take(7));
        var path = Path.Combine(Path.GetTempPath(), $"cut-{Guid.NewGuid():N}.{format}");
        await File.WriteAllTextAsync(path, string.Join("\n", lines));

        var report = await Importer.ImportAsync(new ImportRequest
        {
            Path = path, Format = format, Into = id, Commit = true,
            PartyActors = format == "icews" ? NamedParties : PolecatParties,
        });

        report.Errors.Select(e => (e.Line, e.Code)).ShouldBe([(2, "wrong_column_count"), (lines.Count, "wrong_column_count")]);
        report.Errors[0].Message.ShouldContain($"{width + 1} tab-separated columns");
        report.Errors[1].Message.ShouldContain($"header has {width}");
        report.Stored.ShouldBe(0);
        (await TimelineAsync(id)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("icews", "icews-us-taliban.tab", "Target Name")]
    [InlineData("polecat", "polecat-us-taliban.tsv", "Event Date")]
    public async Task Given_a_header_naming_a_column_it_reads_twice_When_imported_Then_duplicate_column_on_line_1_and_nothing_is_stored(string format, string file, string column)
    {
        // Given the fixture with a column it does not read renamed to one it reads (a second column of that name)
        var id = await NegotiationAsync();
        var lines = File.ReadAllLines(Fixture(file));
        var header = lines[0].Split('\t');
        var other = Array.IndexOf(header, format == "icews" ? "Source Sectors" : "Actor COW");
        header[other] = column;
        lines[0] = string.Join('\t', header);
        var path = Path.Combine(Path.GetTempPath(), $"dup-{Guid.NewGuid():N}.{format}");
        await File.WriteAllLinesAsync(path, lines);

        var report = await Importer.ImportAsync(new ImportRequest
        {
            Path = path, Format = format, Into = id, Commit = true, PartyActors = format == "icews" ? NamedParties : PolecatParties,
        });

        report.Errors.Select(e => (e.Line, e.Path, e.Code)).ShouldBe([(1, column, "duplicate_column")]);
        (await TimelineAsync(id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_event_data_When_the_options_are_incomplete_or_name_another_party_Then_the_import_is_refused_with_the_fix()
    {
        var id = await NegotiationAsync();

        var neither = await Should.ThrowAsync<ImportException>(() => Importer.ImportAsync(new ImportRequest { Path = Fixture("gdelt-2.0-us-taliban.tsv"), Format = "gdelt", Into = id, PartyActors = GdeltParties }));
        var oneParty = await Should.ThrowAsync<ImportException>(() => Importer.ImportAsync(new ImportRequest { Path = Fixture("gdelt-2.0-us-taliban.tsv"), Format = "gdelt", Into = id, PartyActors = [("US", "USA")], Commit = true }));
        var stranger = await Should.ThrowAsync<ImportException>(() => Importer.ImportAsync(new ImportRequest { Path = Fixture("gdelt-2.0-us-taliban.tsv"), Format = "gdelt", Into = id, PartyActors = [("US", "USA"), ("RU", "RUS")], Commit = true }));

        neither.Message.ShouldContain("--as-scenario");
        oneParty.Message.ShouldContain("--party CODE=ACTOR for each of the two parties");
        stranger.Message.ShouldContain("'RU' is not a party");
    }
}
