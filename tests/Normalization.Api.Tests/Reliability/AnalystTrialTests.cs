using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>
/// A foreign-policy analyst's trial: US–North Korea 2017–2019 (threats, Singapore, the remains, Hanoi, the DMZ, Stockholm)
/// recorded as news arrived, as a CSV and as a GDELT extract, then asked as known at instants between the posts. Four
/// answers misled: an out-of-range knownAt was "not an instant", <c>not_known_then</c> did not say from when the
/// negotiation is known, malformed CAMEO codes were counted as codes the table lacks, and a scenario import whose events
/// were all recorded saved an empty scenario without a word.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class AnalystTrialTests(AppFixture app)
{
    /// <summary>Every view whose query takes <c>knownAt</c> (the path after the negotiation, with its other parameters).</summary>
    public static TheoryData<string> KnownAtViews => KnownAtTrialTests.KnownAtViews;

    [Theory]
    [MemberData(nameof(KnownAtViews))]
    public async Task Given_a_well_formed_knownAt_outside_the_range_When_any_view_is_asked_Then_400_out_of_range_naming_the_range(string view)
    {
        var id = await app.GivenNegotiation("krange");

        foreach (var knownAt in new[] { "0001-01-01T00:00:00Z", "0001-01-01T00:00:00%2B01:00", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-01:00" })
        {
            var (status, body) = await app.GetJson($"/api/negotiations/{id}/{view}knownAt={knownAt}");

            status.ShouldBe(400, $"{knownAt}: {body?.ToJsonString()}");
            body.ShouldHaveError("knownAt", "out_of_range");
            body.Errors().Single(e => e.Path == "knownAt").Message.ShouldContain("1900-01-01T00:00:00Z through 9998-12-31T23:59:59.9999999Z");
        }
    }

    [Fact]
    public async Task Given_a_knownAt_outside_the_range_in_a_what_if_body_When_posted_Then_400_out_of_range_and_a_malformed_one_stays_invalid_instant()
    {
        var id = await app.GivenNegotiation("krangewi");

        var (far, farBody) = await app.PostJson($"/api/negotiations/{id}/what-if", new { knownAt = "9999-12-31T23:59:59-01:00" });
        var (bad, badBody) = await app.PostJson($"/api/negotiations/{id}/what-if", new { knownAt = "2026-02-30T00:00:00Z" });

        far.ShouldBe(400, farBody?.ToJsonString());
        farBody.ShouldHaveError("knownAt", "out_of_range");
        bad.ShouldBe(400, badBody?.ToJsonString());
        badBody.ShouldHaveError("knownAt", "invalid_instant");
    }

    [Theory]
    [MemberData(nameof(KnownAtViews))]
    public async Task Given_knownAt_before_the_negotiation_was_recorded_When_asked_Then_404_names_when_it_was_first_recorded_and_that_instant_answers(string view)
    {
        var id = await app.GivenNegotiation("kfirst");
        var (saved, savedBody) = await app.PostJson($"/api/negotiations/{id}/scenarios", new { name = "some-name", add = new[] { Talks("2018-06-12") } });
        saved.ShouldBe(201, savedBody?.ToJsonString());

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/{view}knownAt=2018-06-12T00:00:00Z");

        status.ShouldBe(404, body?.ToJsonString());
        body.ShouldBeProblem("not_known_then");
        var first = DateTimeOffset.Parse((string)body!["firstRecordedAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        first.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-10));
        ((string)body["detail"]!).ShouldContain("first recorded");
        // Retried at the instant given, the view answers
        var (retry, retryBody) = await app.GetJson($"/api/negotiations/{id}/{view}knownAt={Uri.EscapeDataString(first.ToString("O"))}");
        retry.ShouldBe(200, retryBody?.ToJsonString());
    }

    [Fact]
    public async Task Given_a_what_if_as_known_at_before_the_negotiation_When_posted_Then_404_names_when_it_was_first_recorded()
    {
        var id = await app.GivenNegotiation("kfirstwi");

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/what-if", new { knownAt = "2019-02-28T00:00:00Z" });

        status.ShouldBe(404, body?.ToJsonString());
        body.ShouldBeProblem("not_known_then");
        body!["firstRecordedAt"].ShouldNotBeNull();
    }

    [Theory]
    [InlineData("state")] [InlineData("stages")] [InlineData("export")]
    public async Task Given_known_at_before_the_negotiation_on_the_command_line_When_run_Then_the_error_says_when_it_was_first_recorded_and_that_instant_answers(string command)
    {
        var id = await app.GivenNegotiation("kcli");
        var first = DateTimeOffset.Parse((string)(await app.GetJson($"/api/negotiations/{id}/state?knownAt=2018-06-12T00:00:00Z")).Body!["firstRecordedAt"]!,
            System.Globalization.CultureInfo.InvariantCulture);

        var before = await AppCommandLine.RunAsync(app.ConnectionString, null, command, id, "--known-at", "2018-06-12T00:00:00Z");
        var at = await AppCommandLine.RunAsync(app.ConnectionString, null, command, id, "--known-at", first.ToString("O"));

        before.ExitCode.ShouldNotBe(0);
        before.Stderr.ShouldContain($"first recorded at {first.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'}", Case.Sensitive, before.Stderr);
        before.Stderr.ShouldContain("--known-at ");
        at.ExitCode.ShouldBe(0, at.Stderr);
    }

    /// <summary>A GDELT 2.0 row (61 tab-separated columns) between the actor codes given, with its CAMEO code.</summary>
    static string GdeltRow(long id, string day, string actor1, string actor2, string code)
    {
        var cells = new string[61];
        Array.Fill(cells, "");
        (cells[0], cells[1], cells[5], cells[7], cells[15], cells[17], cells[26], cells[32], cells[60]) =
            (id.ToString(System.Globalization.CultureInfo.InvariantCulture), day, actor1 + "GOV", actor1, actor2 + "GOV", actor2, code, "3", "https://www.reuters.com/" + id);
        return string.Join('\t', cells) + "\n";
    }

    Task<(int Status, JsonNode? Body)> PostFileAsync(string id, string query, string body) => app.PostImportFile(id, query, body);

    [Fact]
    public async Task Given_GDELT_rows_between_the_parties_with_empty_or_malformed_CAMEO_codes_When_imported_Then_422_names_each_row_and_the_EventCode_column()
    {
        var id = await app.GivenNegotiation("cameo", "US", "KP");
        var file = GdeltRow(1, "20180612", "USA", "PRK", "046")   // Singapore: a code
            + GdeltRow(2, "20180612", "USA", "PRK", "")             // empty
            + GdeltRow(3, "20180612", "PRK", "USA", "1A")
            + GdeltRow(4, "20190228", "USA", "PRK", "999")          // read back as 0999: no such base code
            + GdeltRow(5, "20190228", "PRK", "USA", "0")
            + GdeltRow(6, "20190228", "CHN", "RUS", "1A")           // other actors: not judged
            + GdeltRow(7, "20190630", "USA", "PRK", "1056");        // a real code the table lacks: counted as unmapped

        var (status, body) = await PostFileAsync(id, "format=gdelt&party=US%3DUSA&party=KP%3DPRK&scenario=gdelt-review", file);

        status.ShouldBe(422, body?.ToJsonString());
        body.ShouldHaveError("lines[2].EventCode", "required");
        body.ShouldHaveError("lines[3].EventCode", "invalid_code");
        body.ShouldHaveError("lines[4].EventCode", "invalid_code");
        body.ShouldHaveError("lines[5].EventCode", "invalid_code");
        body.Errors().Select(e => e.Path).ShouldBe(["lines[2].EventCode", "lines[3].EventCode", "lines[4].EventCode", "lines[5].EventCode"], ignoreOrder: true);
        body.Errors().Single(e => e.Path == "lines[4].EventCode").Message.ShouldContain("'999'");
        (await app.GetJson($"/api/negotiations/{id}/scenarios")).Body!["scenarios"]!.AsArray().ShouldBeEmpty();

        // Without the bad rows the file is read, and a real code the table lacks is still reported as unmapped
        var (fixedStatus, report) = await PostFileAsync(id, "format=gdelt&party=US%3DUSA&party=KP%3DPRK&scenario=gdelt-review",
            GdeltRow(1, "20180612", "USA", "PRK", "046") + GdeltRow(6, "20190228", "CHN", "RUS", "1A") + GdeltRow(7, "20190630", "USA", "PRK", "1056"));
        fixedStatus.ShouldBe(201, report?.ToJsonString());
        ((int)report!["eventData"]!["unmapped"]!["CAMEO 1056"]!).ShouldBe(1);
    }

    [Fact]
    public async Task Given_ICEWS_and_POLECAT_rows_between_the_parties_without_a_code_When_imported_Then_422_names_the_row_and_the_code_column()
    {
        var id = await app.GivenNegotiation("icode", "US", "KP");
        const string icewsHeader = "Event ID\tEvent Date\tSource Name\tSource Country\tCAMEO Code\tTarget Name\tTarget Country\tPublisher\n";
        var icews = icewsHeader
            + "1\t2019-06-30\tDonald Trump\tUnited States\t043\tKim Jong Un\tNorth Korea\tReuters\n"
            + "2\t2019-06-30\tKim Jong Un\tNorth Korea\t\tDonald Trump\tUnited States\tReuters\n"
            + "3\t2019-10-05\tKim Myong-gil\tNorth Korea\t2A1\tStephen Biegun\tUnited States\tReuters\n";
        const string polecatHeader = "Event ID\tEvent Date\tEvent Type\tEvent Mode\tActor Name\tActor Country\tRecipient Name\tRecipient Country\tSource\n";
        var polecat = polecatHeader
            + "a\t2019-10-05\tCONSULT\t\tUnited States\tUSA\tNorth Korea\tPRK\tReuters\n"
            + "b\t2019-10-05\t\t\tNorth Korea\tPRK\tUnited States\tUSA\tReuters\n";

        var (i, iBody) = await PostFileAsync(id, "format=icews&party=US%3DUnited%20States&party=KP%3DNorth%20Korea&scenario=icews-review", icews);
        var (p, pBody) = await PostFileAsync(id, "format=polecat&party=US%3DUSA&party=KP%3DPRK&scenario=polecat-review", polecat);

        i.ShouldBe(422, iBody?.ToJsonString());
        iBody.Errors().Select(e => (e.Path, e.Code)).ShouldBe([("lines[3].CAMEO Code", "required"), ("lines[4].CAMEO Code", "invalid_code")], ignoreOrder: true);
        p.ShouldBe(422, pBody?.ToJsonString());
        pBody.Errors().Select(e => (e.Path, e.Code)).ShouldBe([("lines[3].Event Type", "required")]);
    }

    [Theory]
    [InlineData(",")] [InlineData(";")] [InlineData("\t")] [InlineData("sep")]
    public async Task Given_a_CSV_history_posted_without_format_When_imported_Then_one_400_not_ndjson_says_to_import_it_as_CSV(string separator)
    {
        var id = await app.GivenNegotiation("csvnd", "US", "KP");
        var sep = separator == "sep" ? ";" : separator;
        var csv = (separator == "sep" ? "sep=;\n" : "") + string.Join(sep, "type", "occurredOn", "actor", "target", "fields") + "\n"
            + string.Join(sep, "TalksHeld", "2018-06-12", "US", "KP", "\"{\"\"participants\"\":[\"\"US\"\",\"\"KP\"\"]}\"") + "\n"
            + string.Join(sep, "TalksHeld", "2019-02-28", "US", "KP", "\"{\"\"participants\"\":[\"\"US\"\",\"\"KP\"\"]}\"") + "\n";

        var (status, body) = await PostFileAsync(id, "", csv);

        status.ShouldBe(400, body?.ToJsonString());
        body.Errors().ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            e => e.Path.ShouldBe("lines[1]"), e => e.Code.ShouldBe("not_ndjson"), e => e.Message.ShouldContain("format=csv"));
        var (asCsv, asCsvBody) = await PostFileAsync(id, "format=csv", csv);
        asCsv.ShouldBe(200, asCsvBody?.ToJsonString());
        ((int)asCsvBody!["stored"]!).ShouldBe(2);
    }

    [Fact]
    public async Task Given_event_data_posted_without_format_When_imported_Then_one_400_not_ndjson_names_its_format()
    {
        var id = await app.GivenNegotiation("ednd", "US", "KP");
        var gdelt = GdeltRow(1, "20180612", "USA", "PRK", "046") + GdeltRow(2, "20190228", "USA", "PRK", "046");
        var icews = "Event ID\tEvent Date\tSource Name\tSource Country\tCAMEO Code\tTarget Name\tTarget Country\tPublisher\n"
            + "1\t2019-06-30\tDonald Trump\tUnited States\t043\tKim Jong Un\tNorth Korea\tReuters\n";
        var polecat = "Event ID\tEvent Date\tEvent Type\tEvent Mode\tActor Name\tActor Country\tRecipient Name\tRecipient Country\tSource\n"
            + "a\t2019-10-05\tCONSULT\t\tUnited States\tUSA\tNorth Korea\tPRK\tReuters\n";

        foreach (var (format, file) in new[] { ("gdelt", gdelt), ("icews", icews), ("polecat", polecat) })
        {
            var (status, body) = await PostFileAsync(id, "", file);

            status.ShouldBe(400, body?.ToJsonString());
            body.Errors().ShouldHaveSingleItem().ShouldSatisfyAllConditions(
                e => e.Path.ShouldBe("lines[1]"), e => e.Code.ShouldBe("not_ndjson"), e => e.Message.ShouldContain($"format={format}"));
        }
    }

    [Fact]
    public async Task Given_a_CSV_history_in_a_file_not_named_csv_When_imported_on_the_command_line_Then_the_error_says_to_use_format_csv()
    {
        var id = await app.GivenNegotiation("csvcli", "US", "KP");
        var path = Path.Combine(Path.GetTempPath(), $"dprk-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(path, "type,occurredOn,actor,target,fields\nTalksHeld,2019-06-30,US,KP,\"{\"\"participants\"\":[\"\"US\"\",\"\"KP\"\"]}\"\n");
        try
        {
            var result = await AppCommandLine.RunAsync(app.ConnectionString, null, "import", path, "--into", id);

            result.ExitCode.ShouldNotBe(0);
            (result.Stdout + result.Stderr).ShouldContain("--format csv");
            (result.Stdout + result.Stderr).ShouldContain("not_ndjson");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task Given_a_file_whose_every_event_is_recorded_When_imported_as_a_scenario_Then_422_nothing_new_and_no_scenario_is_saved()
    {
        var id = await app.GivenNegotiation("nothing", "US", "KP");
        var singapore = Talks("2018-06-12", "US", "KP");
        var hanoi = Talks("2019-02-28", "US", "KP");
        var ndjson = singapore.ToJsonString() + "\n" + hanoi.ToJsonString() + "\n";
        var (stored, storedBody) = await app.PostImport(id, ndjson);
        stored.ShouldBe(200, storedBody?.ToJsonString());

        var (status, body) = await PostFileAsync(id, "scenario=all-recorded", ndjson);

        status.ShouldBe(422, body?.ToJsonString());
        body.ShouldHaveError("scenario", "nothing_new");
        body.Errors().Single().Message.ShouldContain("2 duplicates");
        (await app.GetJson($"/api/negotiations/{id}/scenarios")).Body!["scenarios"]!.AsArray().ShouldBeEmpty();
        var (rerun, _) = await app.GetJson($"/api/negotiations/{id}/scenarios/all-recorded");
        rerun.ShouldBe(404);
    }

    [Fact]
    public async Task Given_a_saved_scenario_When_a_file_of_recorded_events_is_imported_under_its_name_Then_the_saved_scenario_is_kept()
    {
        var id = await app.GivenNegotiation("nothing2", "US", "KP");
        var dmz = Talks("2019-06-30", "US", "KP");
        (await app.PostImport(id, dmz.ToJsonString() + "\n")).Status.ShouldBe(200);
        var stockholm = Talks("2019-10-05", "US", "KP");
        var (saved, savedBody) = await PostFileAsync(id, "scenario=talks", stockholm.ToJsonString() + "\n");
        saved.ShouldBe(201, savedBody?.ToJsonString());

        var (status, body) = await PostFileAsync(id, "scenario=talks", dmz.ToJsonString() + "\n");

        status.ShouldBe(422, body?.ToJsonString());
        body.ShouldHaveError("scenario", "nothing_new");
        var list = (await app.GetJson($"/api/negotiations/{id}/scenarios")).Body!["scenarios"]!.AsArray();
        list.Select(s => ((string)s!["name"]!, (string)s["changes"]!["add"]![0]!["eventId"]!)).ShouldBe([("talks", (string)stockholm["eventId"]!)]);
    }
}
