using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;

namespace Normalization.Api.Tests.Importing.EventData;

/// <summary>
/// A researcher's GDELT file with the codebook's header line: a BigQuery export (comma-separated, quoted fields, often only
/// the columns the query selected) or a published export with the names pasted on top. Before, a tab header line was
/// counted as a data row of "other actors" and a comma-separated file gave one <c>wrong_column_count</c> per row (3,031
/// errors for a 3,030-row file, none saying why); our own CAMEO export, which names its columns as GDELT does, was read
/// the same way.
/// </summary>
[Collection(ApiCollection.Name)]
public class GdeltHeaderTests(AppFixture app)
{
    /// <summary>The 61 column names of the GDELT 2.0 event table, as BigQuery's <c>gdelt-bq.gdeltv2.events</c> names them.</summary>
    static readonly string[] Codebook = ("GLOBALEVENTID SQLDATE MonthYear Year FractionDate Actor1Code Actor1Name Actor1CountryCode " +
        "Actor1KnownGroupCode Actor1EthnicCode Actor1Religion1Code Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code " +
        "Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode Actor2Religion1Code Actor2Religion2Code " +
        "Actor2Type1Code Actor2Type2Code Actor2Type3Code IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale " +
        "NumMentions NumSources NumArticles AvgTone Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code " +
        "Actor1Geo_ADM2Code Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode " +
        "Actor2Geo_ADM1Code Actor2Geo_ADM2Code Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID ActionGeo_Type ActionGeo_FullName " +
        "ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID DATEADDED SOURCEURL").Split(' ');

    /// <summary>The 61-column rows of the GDELT fixture that are not blank, with a place name holding commas (as GDELT's geo names do).</summary>
    static List<string[]> Rows() => File.ReadAllLines(EventDataImportTests.Fixture("gdelt-2.0-us-taliban.tsv"))
        .Select(l => l.Split('\t')).Where(r => r.Length == 61 && r.Any(c => c.Trim().Length > 0))
        .Select(r => { r[52] = "Kabul, Kabul, Afghanistan"; return r; }).ToList();

    static string Tsv(IEnumerable<string[]> rows) => string.Concat(rows.Select(r => string.Join('\t', r) + "\n"));

    static string Csv(IEnumerable<string[]> rows) =>
        string.Concat(rows.Select(r => string.Join(',', r.Select(c => c.Contains(',') ? $"\"{c}\"" : c)) + "\r\n"));

    static string[] Pick(string[] row, string[] columns) => columns.Select(c => row[Array.IndexOf(Codebook, c)]).ToArray();

    Task<(int Status, JsonNode? Body)> PostAsync(string id, string query, string body) => app.PostImportFile(id, query, body, "text/csv");

    async Task<string> NegotiationAsync()
    {
        var id = TestApi.NewId("gh");
        (await app.PostJson("/api/negotiations", TestApi.UsTaliban(id))).Status.ShouldBe(201);
        return id;
    }

    const string Review = "format=gdelt&party=US%3DUSA&party=TB%3DAFGTAL&scenario=";

    static IEnumerable<(string, string)> Errors(JsonNode? body) =>
        body!["errors"]!.AsArray().Select(e => ((string)e!["path"]!, (string)e["code"]!));

    [Fact]
    public async Task Given_the_codebook_header_tab_or_comma_separated_When_imported_Then_the_report_is_that_of_the_file_without_it()
    {
        // Given the rows as GDELT publishes them, the same under the codebook's header line, and as a BigQuery CSV export
        var id = await NegotiationAsync();
        var rows = Rows();
        var header = Codebook;

        // When each is imported as a scenario
        var published = await PostAsync(id, Review + "published", Tsv(rows));
        var tab = await PostAsync(id, Review + "tab", Tsv(rows.Prepend(header)));
        var bigQuery = await PostAsync(id, Review + "bigquery", Csv(rows.Prepend(header)));

        // Then the header is no row: every count, and the events, are those of the file without it
        published.Status.ShouldBe(201, published.Body?.ToJsonString());
        ((int)published.Body!["eventData"]!["rows"]!).ShouldBe(rows.Count);
        foreach (var (status, body) in new[] { tab, bigQuery })
        {
            status.ShouldBe(201, body?.ToJsonString());
            body!["eventData"]!.ToJsonString().ShouldBe(published.Body["eventData"]!.ToJsonString());
            ((int)body["scenarioEvents"]!).ShouldBe((int)published.Body["scenarioEvents"]!);
        }
        var (_, scenario) = await app.GetJson($"/api/negotiations/{id}/scenarios/bigquery");
        var (_, reference) = await app.GetJson($"/api/negotiations/{id}/scenarios/published");
        scenario!["hypothetical"]!.AsArray().Select(h => h!["event"]!.ToJsonString())
            .ShouldBe(reference!["hypothetical"]!.AsArray().Select(h => h!["event"]!.ToJsonString()));
    }

    [Fact]
    public async Task Given_a_BigQuery_export_of_some_columns_in_another_order_When_imported_Then_its_columns_are_found_by_name()
    {
        // Given a query that selected only what it needed, in its own order (no country or known-group codes, no NumSources)
        var id = await NegotiationAsync();
        string[] columns = ["SOURCEURL", "EventCode", "Actor2Code", "Actor1Code", "SQLDATE", "GLOBALEVENTID"];
        var body = Csv(Rows().Select(r => Pick(r, columns)).Prepend(columns));

        // When it is imported
        var (status, answer) = await PostAsync(id, Review + "some-columns", body);

        // Then the rows are read by name: the talks of 20 March, the release, the sanctions (actors matched on their codes)
        status.ShouldBe(201, answer?.ToJsonString());
        var data = answer!["eventData"]!;
        ((int)data["rows"]!).ShouldBe(Rows().Count);
        ((int)data["events"]!).ShouldBe(3);
        ((int)data["unmapped"]!["CAMEO 1056"]!).ShouldBe(1);
        var (_, scenario) = await app.GetJson($"/api/negotiations/{id}/scenarios/some-columns");
        scenario!["hypothetical"]!.AsArray().Select(h => (string)h!["type"]!).Order()
            .ShouldBe(["PrisonerReleased", "SanctionsImposed", "TalksHeld"]);
    }

    [Fact]
    public async Task Given_a_comma_separated_file_without_the_header_When_imported_Then_one_error_says_it_is_comma_separated()
    {
        var id = await NegotiationAsync();

        var (status, answer) = await PostAsync(id, Review + "commas", Csv(Rows()));

        status.ShouldBe(422, answer?.ToJsonString());
        Errors(answer).ShouldBe([("lines[1]", "wrong_column_count")]);
        ((string)answer!["errors"]![0]!["message"]!).ShouldContain("comma-separated");
    }

    [Fact]
    public async Task Given_a_header_without_a_column_read_or_with_one_twice_When_imported_Then_missing_column_or_duplicate_column_on_line_1()
    {
        var id = await NegotiationAsync();
        string[] noCode = ["GLOBALEVENTID", "SQLDATE", "Actor1Code", "Actor2Code", "SOURCEURL"];
        string[] twice = ["GLOBALEVENTID", "SQLDATE", "Actor1Code", "Actor2Code", "EventCode", "EventCode"];

        var missing = await PostAsync(id, Review + "no-code", Csv(Rows().Select(r => Pick(r, noCode)).Prepend(noCode)));
        var repeated = await PostAsync(id, Review + "twice", Csv(Rows().Select(r => Pick(r, twice)).Prepend(twice)));

        missing.Status.ShouldBe(422, missing.Body?.ToJsonString());
        Errors(missing.Body).ShouldBe([("lines[1]", "missing_column")]);
        ((string)missing.Body!["errors"]![0]!["message"]!).ShouldContain("'EventCode'");
        repeated.Status.ShouldBe(422, repeated.Body?.ToJsonString());
        Errors(repeated.Body).ShouldBe([("lines[1].EventCode", "duplicate_column")]);
    }

    [Fact]
    public async Task Given_our_own_CAMEO_export_When_imported_as_GDELT_Then_it_is_refused_whole_naming_the_export_to_import_instead()
    {
        // Given a negotiation with the GDELT events committed, and its CAMEO export (GDELT's column names)
        var id = await NegotiationAsync();
        (await PostAsync(id, "format=gdelt&party=US%3DUSA&party=TB%3DAFGTAL&commit=true", Tsv(Rows()))).Status.ShouldBe(200);
        using var client = app.Host.Server.CreateClient();
        var cameo = await client.GetStringAsync($"/api/negotiations/{id}/cameo?party=US%3DUSA&party=TB%3DAFGTAL");
        var copy = await NegotiationAsync();

        // When it is imported as GDELT into another negotiation
        var (status, answer) = await PostAsync(copy, Review + "cameo", cameo);

        // Then one error on its header says what it is and what to import; nothing is stored
        status.ShouldBe(422, answer?.ToJsonString());
        Errors(answer).ShouldBe([("lines[1]", "not_event_data")]);
        ((string)answer!["errors"]![0]!["message"]!).ShouldContain("…/export");
        var (_, timeline) = await app.GetJson($"/api/negotiations/{copy}/timeline");
        ((int)timeline!["total"]!).ShouldBe(0);
    }
}
