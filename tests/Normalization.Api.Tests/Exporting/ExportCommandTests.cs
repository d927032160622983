using System.Text;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;

namespace Normalization.Api.Tests.Exporting;

/// <summary>The <c>export</c> command's new formats, run as the built app's command line against this run's test database.</summary>
[Collection(ApiCollection.Name)]
public sealed class ExportCommandTests(AppFixture app)
{
    Task<(int ExitCode, string Stdout, string Stderr)> Run(params string[] args) => AppCommandLine.RunAsync(app.ConnectionString, null, args);

    [Fact]
    public async Task Given_a_record_When_exported_from_the_command_line_as_Excel_CSV_XLSX_and_CAMEO_rows_Then_each_file_has_its_layout()
    {
        var (id, talks, _, _) = await app.GivenRecord();
        var dir = Directory.CreateTempSubdirectory("export-cli").FullName;

        var csv = await Run("export", id, "--format", "csv", "--dialect", "excel", "--out", Path.Combine(dir, "t.csv"));
        var xlsx = await Run("export", id, "--out", Path.Combine(dir, "t.xlsx"));
        var cameo = await Run("export", id, "--format", "cameo", "--party", "US=USA", "TB=AFGTAL", "--out", Path.Combine(dir, "c.csv"));
        var bad = await Run("export", id, "--format", "cameo", "--party", "US");

        csv.ExitCode.ShouldBe(0, csv.Stderr);
        var csvBytes = await File.ReadAllBytesAsync(Path.Combine(dir, "t.csv"));
        csvBytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        Encoding.UTF8.GetString(csvBytes).ShouldContain("\"'=HYPERLINK(");
        xlsx.ExitCode.ShouldBe(0, xlsx.Stderr); // the format follows the file's extension
        var book = ExportSupport.ReadWorkbook(await File.ReadAllBytesAsync(Path.Combine(dir, "t.xlsx")));
        book.Keys.ShouldContain("Stages");
        ExportSupport.Records(book["Timeline"]).Single(r => r["eventId"].Text == talks.ToString())["cameo"].Text.ShouldBe("046");
        cameo.ExitCode.ShouldBe(0, cameo.Stderr);
        (await File.ReadAllLinesAsync(Path.Combine(dir, "c.csv"))).Single(l => l.StartsWith(talks.ToString())).ShouldContain(",USA,AFGTAL,046,");
        bad.ExitCode.ShouldNotBe(0);
        bad.Stderr.ShouldContain("CODE=ACTOR");
    }

    [Fact]
    public async Task Given_the_party_flag_repeated_When_CAMEO_rows_are_exported_Then_each_party_gets_its_actor_code()
    {
        // Given a record with talks between US and TB
        var (id, talks, _, _) = await app.GivenRecord();
        var file = Path.Combine(Directory.CreateTempSubdirectory("export-party").FullName, "c.csv");

        // When --party is repeated, as import and what-if's --remove take a list (JasperFx kept only the last flag's values)
        var cameo = await Run("export", id, "--format", "cameo", "--party", "US=USA", "--party", "TB=AFGTAL", "--out", file);

        // Then both codes apply, as with --party US=USA TB=AFGTAL
        cameo.ExitCode.ShouldBe(0, cameo.Stderr);
        (await File.ReadAllLinesAsync(file)).Single(l => l.StartsWith(talks.ToString())).ShouldContain(",USA,AFGTAL,046,");
    }
}
