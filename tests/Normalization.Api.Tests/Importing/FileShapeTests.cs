using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Importing;
using Normalization.Api.Tests.Importing.EventData;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;

namespace Normalization.Api.Tests.Importing;

/// <summary>
/// Issue 19, "files as people actually produce them": other encodings, blank rows, pretty-printed and wrapped JSON, gzip,
/// Excel's separators and dates — for every format, each fault's whole kind.
/// </summary>
[Collection(ApiCollection.Name)]
public class FileShapeTests(AppFixture app)
{
    Importer Importer => app.Host.Services.GetRequiredService<Importer>();
    static readonly Encoding Cp1252 = CodePagesEncoding(1252);

    static Encoding CodePagesEncoding(int page)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(page);
    }

    const string Header = "eventId,type,occurredOn,actor,target,confidence,sources,note,fields";
    const string Talks = "type,occurredOn,actor,target,fields";

    static string TempFile(string extension, byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"shape-{Guid.NewGuid():N}.{extension}");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    async Task<string> NegotiationAsync()
    {
        var id = TestApi.NewId("fs");
        (await app.PostJson("/api/negotiations", TestApi.UsTaliban(id))).Status.ShouldBe(201);
        return id;
    }

    Task<ImportReport> ImportAsync(string id, string path, string? format = null, string? encoding = null) =>
        Importer.ImportAsync(new ImportRequest { Path = path, Into = id, Format = format, Encoding = encoding });

    static string TalksRow(string date, string location, char sep = ',') =>
        $"TalksHeld{sep}{date}{sep}US{sep}TB{sep}\"{{\"\"participants\"\":[\"\"US\"\",\"\"TB\"\"],\"\"location\"\":\"\"{location}\"\"}}\"";

    [Fact]
    public async Task Given_a_Windows_1252_CSV_When_imported_without_an_encoding_Then_one_error_names_the_line_and_the_fix_and_nothing_is_stored()
    {
        var id = await NegotiationAsync();
        var path = TempFile("csv", Cp1252.GetBytes($"{Talks}\n{TalksRow("2025-03-19", "Doha")}\n{TalksRow("2025-03-20", "Délégation à Kaboul")}\n"));

        var report = await ImportAsync(id, path);

        report.Errors.Count.ShouldBe(1);
        (report.Errors[0].Line, report.Errors[0].Code).ShouldBe((3, "invalid_utf8"));
        report.Errors[0].Message.ShouldContain("--encoding windows-1252");
        report.Stored.ShouldBe(0);
    }

    [Theory]
    [InlineData("windows-1252", 1252)]
    [InlineData("iso-8859-1", 28591)]
    [InlineData("ibm850", 850)]
    public async Task Given_a_CSV_in_a_single_byte_encoding_When_imported_with_that_encoding_Then_every_accented_letter_survives(string name, int page)
    {
        var id = await NegotiationAsync();
        var path = TempFile("csv", CodePagesEncoding(page).GetBytes($"{Talks}\n{TalksRow("2025-03-20", "Délégation à Kaboul")}\n"));

        var report = await ImportAsync(id, path, encoding: name);

        report.Errors.ShouldBeEmpty();
        report.Stored.ShouldBe(1);
        var (_, body) = await app.GetJson($"/api/negotiations/{id}/timeline");
        ((string)body!["items"]![0]!["event"]!["location"]!).ShouldBe("Délégation à Kaboul");
    }

    [Theory]
    [InlineData("utf-16le")] [InlineData("utf-16be")] [InlineData("utf-32le")] [InlineData("utf-8-bom")]
    public async Task Given_a_CSV_with_a_byte_order_mark_When_imported_Then_its_encoding_is_read_from_the_mark(string kind)
    {
        var id = await NegotiationAsync();
        Encoding encoding = kind switch
        {
            "utf-16le" => new UnicodeEncoding(false, true), "utf-16be" => new UnicodeEncoding(true, true), "utf-32le" => new UTF32Encoding(false, true),
            _ => new UTF8Encoding(true),
        };
        var text = $"{Talks}\r\n{TalksRow("2025-03-20", "Délégation à Kaboul")}\r\n";
        var path = TempFile("csv", [.. encoding.GetPreamble(), .. encoding.GetBytes(text)]);

        var report = await ImportAsync(id, path);

        report.Errors.ShouldBeEmpty();
        report.Stored.ShouldBe(1);
    }

    [Fact]
    public async Task Given_UTF_16_without_a_byte_order_mark_When_imported_Then_one_error_says_so()
    {
        var id = await NegotiationAsync();
        var path = TempFile("csv", Encoding.Unicode.GetBytes($"{Talks}\n{TalksRow("2025-03-20", "Kabul")}\n"));

        var report = await ImportAsync(id, path);

        report.Errors.Select(e => e.Code).ShouldBe(["nul_characters"]);
        report.Errors[0].Message.ShouldContain("--encoding utf-16");
    }

    [Theory]
    [InlineData(',', ",,,,")] [InlineData(';', ";;;;")] [InlineData('\t', "\t\t\t\t")] [InlineData(',', "\" \",\"\",,,")] [InlineData(',', "   ")]
    public async Task Given_a_CSV_ending_in_spreadsheet_blank_rows_When_imported_Then_they_are_skipped_and_counted(char sep, string blank)
    {
        var id = await NegotiationAsync();
        var path = TempFile("csv", Encoding.UTF8.GetBytes(
            $"{Talks.Replace(',', sep)}\r\n{TalksRow("2025-03-20", "Kabul", sep)}\r\n{blank}\r\n{TalksRow("2025-03-21", "Doha", sep)}\r\n{blank}\r\n{blank}\r\n"));

        var report = await ImportAsync(id, path);

        report.Errors.ShouldBeEmpty();
        report.Stored.ShouldBe(2);
        report.BlankRows.ShouldBe(3);
    }

    [Theory]
    [InlineData(',')] [InlineData(';')]
    public async Task Given_a_CSV_with_the_empty_columns_a_spreadsheet_adds_after_the_last_When_imported_Then_they_are_read_as_nothing(char sep)
    {
        // Given a file whose header and rows end in two unnamed, empty columns (as Excel saves a sheet touched past its last column)
        var id = await NegotiationAsync();
        var path = TempFile("csv", Encoding.UTF8.GetBytes(
            $"{Talks.Replace(',', sep)}{sep}{sep}\r\n{TalksRow("2025-03-20", "Kabul", sep)}{sep}{sep}\r\n{TalksRow("2025-03-21", "Doha", sep)}{sep} {sep}\r\n"));

        // When it is imported
        var report = await ImportAsync(id, path);

        // Then both rows are stored
        report.Errors.ShouldBeEmpty();
        report.Stored.ShouldBe(2);
    }

    [Fact]
    public async Task Given_a_CSV_row_with_text_under_an_unnamed_column_When_imported_Then_the_error_names_the_line_and_the_column_and_nothing_is_stored()
    {
        // Given a file with an unnamed sixth column, empty on line 2 and holding a note on line 3
        var id = await NegotiationAsync();
        var path = TempFile("csv", Encoding.UTF8.GetBytes($"{Talks},\n{TalksRow("2025-03-20", "Kabul")},\n{TalksRow("2025-03-21", "Doha")},moved to Doha\n"));

        // When it is imported
        var report = await ImportAsync(id, path);

        // Then one error on line 3 names column 6 and its text, and nothing is stored
        report.Errors.Select(e => (e.Line, e.Code)).ShouldBe([(3, "unnamed_column")]);
        report.Errors[0].Message.ShouldContain("Column 6");
        report.Errors[0].Message.ShouldContain("moved to Doha");
        report.Stored.ShouldBe(0);
    }

    [Theory]
    [InlineData("")] [InlineData("\r\n")] [InlineData(",,,\r\n")]
    public async Task Given_a_CSV_that_is_empty_or_has_blank_lines_above_its_header_When_imported_Then_one_error_says_line_1_must_be_the_header(string before)
    {
        var id = await NegotiationAsync();
        var path = TempFile("csv", Encoding.UTF8.GetBytes(before.Length == 0 ? "" : $"{before}{Talks}\r\n{TalksRow("2025-03-20", "Kabul")}\r\n"));

        var report = await ImportAsync(id, path);

        report.Errors.Select(e => (e.Line, e.Path, e.Code)).ShouldBe([(1, "", "missing_header")]);
        report.Errors[0].Message.ShouldContain("header");
        report.Stored.ShouldBe(0);
    }

    [Theory]
    [InlineData("3/20/2025")] [InlineData("20.03.2025")] [InlineData("20-03-2025")] [InlineData("3/20/25")]
    [InlineData("Mar-25")] [InlineData("20-Mar-25")] [InlineData("20-Mar")] [InlineData("March 2025")]
    public async Task Given_dates_an_Excel_resave_wrote_When_a_CSV_is_imported_Then_each_is_refused_naming_the_expected_form(string date)
    {
        var id = await NegotiationAsync();
        var path = TempFile("csv", Encoding.UTF8.GetBytes($"{Talks}\n{TalksRow("2025-03-19", "Doha")}\n{TalksRow(date, "Kabul")}\n"));

        var report = await ImportAsync(id, path);

        report.Errors.Select(e => (e.Line, e.Path, e.Code)).ShouldBe([(3, "occurredOn", "excel_date")]);
        report.Errors[0].Message.ShouldContain("YYYY-MM-DD");
    }

    [Fact]
    public async Task Given_an_NDJSON_file_pretty_printed_by_jq_When_imported_Then_one_error_says_it_is_not_one_object_per_line()
    {
        var id = await NegotiationAsync();
        var path = TempFile("ndjson", Encoding.UTF8.GetBytes(string.Join("\n", TestApi.SeedEvents().Take(3).Select(e => e.ToJsonString(new() { WriteIndented = true }))) + "\n"));

        var report = await ImportAsync(id, path);

        report.Errors.Select(e => (e.Line, e.Code)).ShouldBe([(1, "not_ndjson")]);
        report.Errors[0].Message.ShouldContain("jq -c");
    }

    [Theory]
    [InlineData(true)] [InlineData(false)]
    public async Task Given_a_JSON_array_When_imported_as_NDJSON_Then_its_elements_are_read_with_the_lines_they_start_on(bool indented)
    {
        var id = await NegotiationAsync();
        var events = TestApi.SeedEvents().Take(3).ToList();
        events[2]["occurredOn"] = "2025-13-01"; // a bad element: its line is reported
        var array = new System.Text.Json.Nodes.JsonArray(events.Select(e => (System.Text.Json.Nodes.JsonNode)e.DeepClone()).ToArray());
        var text = array.ToJsonString(new() { WriteIndented = indented });
        var path = TempFile("json", Encoding.UTF8.GetBytes(text));

        var report = await ImportAsync(id, path);

        var expectedLine = indented ? text[..text.IndexOf("2025-13-01", StringComparison.Ordinal)].Split('\n').Length - 3 : 1;
        report.Errors.ShouldNotBeEmpty();
        report.Errors.ShouldAllBe(e => e.Path == "occurredOn");
        if (indented) report.Errors[0].Line.ShouldBeInRange(expectedLine - 10, expectedLine);
        else report.Errors[0].Line.ShouldBe(1);

        events.RemoveAt(2);
        var good = TempFile("json", Encoding.UTF8.GetBytes(new System.Text.Json.Nodes.JsonArray(events.Select(e => (System.Text.Json.Nodes.JsonNode)e.DeepClone()).ToArray()).ToJsonString(new() { WriteIndented = indented })));
        var stored = await ImportAsync(id, good);
        stored.Errors.ShouldBeEmpty();
        stored.Stored.ShouldBe(2);
    }

    [Theory]
    [InlineData("ndjson")] [InlineData("csv")] [InlineData("gdelt")]
    public async Task Given_a_gzip_file_When_imported_Then_it_is_recognised_by_its_bytes_and_read(string format)
    {
        var id = await NegotiationAsync();
        var text = format switch
        {
            "ndjson" => string.Join("\n", TestApi.SeedEvents().Take(4).Select(e => e.ToJsonString())) + "\n",
            "csv" => $"{Talks}\n{TalksRow("2025-03-20", "Kabul")}\n",
            _ => File.ReadAllText(EventDataImportTests.Fixture("gdelt-2.0-us-taliban.tsv")),
        };
        using var buffer = new MemoryStream();
        await using (var gz = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(Encoding.UTF8.GetBytes(text));
        var path = TempFile("gz", buffer.ToArray()); // the name says nothing: the bytes do

        var report = await Importer.ImportAsync(new ImportRequest
        {
            Path = path, Into = id, Format = format, PartyActors = format == "gdelt" ? EventDataImportTests.GdeltParties : [], Commit = format == "gdelt",
        });

        report.Errors.ShouldBeEmpty();
        report.Stored.ShouldBe(format switch { "ndjson" => 4, "csv" => 1, _ => 4 });
    }

    [Fact]
    public async Task Given_an_NDJSON_file_in_Windows_1252_When_imported_Then_one_error_names_the_line_or_with_the_encoding_it_is_read()
    {
        var id = await NegotiationAsync();
        var events = TestApi.SeedEvents().Take(20).ToList();
        events[15]["note"] = "Délégation à Kaboul";
        // Written as an editor would: the letters themselves, not \u escapes.
        var lines = events.Select(e => e.ToJsonString(new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })).ToList();
        var firstAccented = lines.FindIndex(l => l.Any(c => c > 127)) + 1;
        var path = TempFile("ndjson", Cp1252.GetBytes(string.Join("\n", lines) + "\n"));

        var refused = await ImportAsync(id, path);
        var read = await ImportAsync(id, path, encoding: "windows-1252");

        refused.Errors.Select(e => (e.Line, e.Code)).ShouldBe([(firstAccented, "invalid_utf8")]);
        firstAccented.ShouldBeInRange(1, 16);
        read.Errors.ShouldBeEmpty();
        read.Stored.ShouldBe(20);
    }

    [Fact]
    public async Task Given_a_GDELT_file_with_a_row_not_in_UTF_8_When_imported_Then_the_error_names_that_row()
    {
        var id = await NegotiationAsync();
        var lines = File.ReadAllLines(EventDataImportTests.Fixture("gdelt-2.0-us-taliban.tsv"));
        var bytes = Encoding.UTF8.GetBytes(string.Join("\n", lines.Take(4)) + "\n").Concat(Cp1252.GetBytes(lines[4].Replace("/rewards", "/récompenses") + "\n")).ToArray();

        var report = await Importer.ImportAsync(new ImportRequest { Path = TempFile("tsv", bytes), Into = id, Format = "gdelt", PartyActors = EventDataImportTests.GdeltParties, Commit = true });

        report.Errors.Select(e => (e.Line, e.Code)).ShouldBe([(5, "invalid_utf8")]);
    }

    [Theory]
    [InlineData("csv.gz")] [InlineData("CSV.GZ")] [InlineData("csv")]
    public async Task Given_a_CSV_file_named_for_it_When_imported_without_a_format_Then_it_is_read_as_CSV_gzip_or_not(string extension)
    {
        // Given a CSV file whose name ends in .csv, or in .csv.gz and whose bytes are gzip
        var id = await NegotiationAsync();
        var text = Encoding.UTF8.GetBytes($"{Talks}\n{TalksRow("2025-03-20", "Kabul")}\n");
        using var buffer = new MemoryStream();
        await using (var gz = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(text);
        var path = TempFile(extension, extension.EndsWith("gz", StringComparison.OrdinalIgnoreCase) ? buffer.ToArray() : text);

        // When it is imported with no --format
        var report = await ImportAsync(id, path);

        // Then the name's format is read, not NDJSON
        report.Errors.ShouldBeEmpty();
        report.Format.ShouldBe("csv");
        report.Stored.ShouldBe(1);
    }

    [Fact]
    public async Task Given_a_zip_archive_When_imported_Then_it_is_refused_with_the_fix()
    {
        var id = await NegotiationAsync();
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            await using (var entry = zip.CreateEntry("a.ndjson").Open()) entry.Write("{}\n"u8);

        var e = await Should.ThrowAsync<ImportException>(() => ImportAsync(id, TempFile("ndjson", buffer.ToArray())));

        e.Message.ShouldContain("unzip");
    }
}
