using System.Reflection;
using Normalization.Api.Commands;
using Normalization.Api.Importing;
using Normalization.Api.Tests.Reliability.Fuzz;

namespace Normalization.Api.Tests.Commands;

/// <summary>
/// Issue 14: every command-line option that takes a date, an instant or a format name follows the API's input rules.
/// The options are found by reflection over the commands' inputs, so a new option fails here until it is classified.
/// </summary>
public sealed class CliOptionRulesTests
{
    /// <summary>What each option takes. A new <c>…Flag</c> property must be added here (the first test says so).</summary>
    static readonly Dictionary<string, string> Kinds = new()
    {
        ["AsOfFlag"] = "date", ["FromFlag"] = "date", ["ToFlag"] = "date", ["CoveredUntilFlag"] = "day", ["KnownAtFlag"] = "instant",
        ["FormatFlag"] = "format", ["TypeFlag"] = "event type", ["IntoFlag"] = "negotiation id", ["TitleFlag"] = "text",
        ["PartiesFlag"] = "parties", ["MediatorsFlag"] = "parties", ["OutFlag"] = "file", ["AddFlag"] = "file", ["JsonFlag"] = "switch",
        ["PartyFlag"] = "party actors", ["PartyMapFlag"] = "file", ["EncodingFlag"] = "encoding", ["AsScenarioFlag"] = "scenario name", ["CommitFlag"] = "switch",
        ["DialectFlag"] = "dialect",
        // what-if's: read by POST …/what-if's own body reader (CliWhatIfTests, CliErrorTests), so the API's rules hold
        ["ProjectToFlag"] = "date", ["RemoveFlag"] = "event id", ["ReplaceFlag"] = "file",
    };

    static IEnumerable<PropertyInfo> Options() =>
        typeof(DataInput).Assembly.GetTypes().Where(t => typeof(DataInput).IsAssignableFrom(t))
            .SelectMany(t => t.GetProperties()).Where(p => p.DeclaringType!.Assembly == typeof(DataInput).Assembly && p.Name.EndsWith("Flag", StringComparison.Ordinal)).DistinctBy(p => p.Name);

    [Fact]
    public void Given_every_option_of_every_data_command_When_listed_Then_each_is_classified()
    {
        var options = Options().Select(p => p.Name).ToList();
        options.ShouldContain("KnownAtFlag");
        options.Where(o => !Kinds.ContainsKey(o)).ShouldBeEmpty("classify the new option in CliOptionRulesTests.Kinds and cover its kind");
    }

    public static IEnumerable<object[]> Hostile(string valid)
    {
        yield return [" " + valid];
        yield return [valid + " "];
        yield return [valid + "\n"];
        yield return [valid + "\r\n"];
        yield return [valid[..1] + "\u0007" + valid[1..]];
        foreach (var (_, zero) in ContractCases.ForeignDigits) yield return [ContractCases.WithDigits(valid, zero)];
        yield return ["03/20/2025"];
        yield return ["Mar 20 2025"];
        yield return [new string('9', 300)];
    }

    public static IEnumerable<object[]> HostileDates() => Hostile("2025-03-20");
    public static IEnumerable<object[]> HostileInstants() => Hostile("2025-03-20T00:00:00Z").Append(["2025-03-20T10:00:00"]);

    [Theory]
    [MemberData(nameof(HostileDates))]
    public void Given_a_hostile_date_option_When_read_Then_a_one_line_CLI_error(string text)
    {
        var e = Should.Throw<CliException>(() => DataCommand<StateInput>.Date(text, "as-of"));
        e.Message.ShouldStartWith("--as-of must be a date");
        e.Message.ShouldNotContain("\n");
    }

    public static IEnumerable<object[]> PeriodsAndHostileDays() =>
        HostileDates().Append(["2017-10"]).Append(["2017"]).Append(["2017-10-31T00:00:00Z"]).Append(["20171031"]);

    /// <summary>
    /// A record's coverage is a day everywhere it is given (the create body, <c>PUT …/coverage</c>, a <c>RecordReviewed</c>, a
    /// file's first line: <c>invalid_date</c> for a month or a year). A researcher's trial (US–Cuba): <c>import --covered-until
    /// 2017-10</c> was read by the as-of rule and silently became 2017-10-31, and <c>2017</c> 2017-12-31.
    /// </summary>
    [Theory]
    [MemberData(nameof(PeriodsAndHostileDays))]
    public void Given_a_month_a_year_or_a_hostile_covered_until_option_When_read_Then_a_one_line_CLI_error_naming_it(string text)
    {
        // Given a --covered-until that is not a day; When the import reads it
        var e = Should.Throw<CliException>(() => DataCommand<ImportInput>.Day(text, "covered-until"));

        // Then it is refused on one line, naming the option and the form of a day
        e.Message.ShouldStartWith("--covered-until must be a date: YYYY-MM-DD");
        e.Message.ShouldNotContain("\n");
    }

    [Theory]
    [MemberData(nameof(HostileInstants))]
    public void Given_a_hostile_instant_option_When_read_Then_a_one_line_CLI_error(string text)
    {
        var e = Should.Throw<CliException>(() => DataCommand<StateInput>.Instant(text, "known-at"));
        e.Message.ShouldStartWith("--known-at must be an ISO 8601 instant");
        e.Message.ShouldNotContain("\n");
    }

    [Theory]
    [InlineData(" csv")] [InlineData("csv\n")] [InlineData("1")] [InlineData("csv,ndjson")]
    public void Given_a_padded_or_numeric_format_option_When_read_Then_it_is_refused(string format)
    {
        Should.Throw<ImportException>(() => Exporter.FormatOf(format, null));
        Should.Throw<ImportException>(() => HistoryFile.FormatOf("file.ndjson", format));
    }

    [Theory]
    [InlineData("utf-9")] [InlineData("windows 1252\n")] [InlineData("\u0007")] [InlineData("latin-99")]
    public void Given_an_unknown_encoding_option_When_read_Then_it_is_refused_naming_examples(string encoding) =>
        Should.Throw<ImportException>(() => Normalization.Api.Importing.Files.InputFile.EncodingOf(encoding)).Message.ShouldContain("windows-1252");

    [Theory]
    [InlineData("US")] [InlineData("=USA")] [InlineData("US=")] [InlineData("US USA")]
    public void Given_a_party_option_without_CODE_ACTOR_When_read_Then_it_is_refused(string item) =>
        Should.Throw<ImportException>(() => Normalization.Api.Importing.EventData.PartyMatcher.Parse([item], "--party")).Message.ShouldContain("CODE=ACTOR");

    [Theory]
    [InlineData(" excel")] [InlineData("excel\n")] [InlineData("1")] [InlineData("excel,rfc4180")] [InlineData("lotus")]
    public void Given_a_padded_or_unknown_dialect_option_When_read_Then_it_is_refused(string dialect) =>
        Normalization.Api.Exporting.CsvDialects.Parse(dialect).ShouldBeNull();

    [Theory]
    [InlineData(" US=USA")] [InlineData("US=USA\n")] [InlineData("US")] [InlineData("US=")] [InlineData("=USA")] [InlineData("US=U\u0007SA")] [InlineData("US=USA=X")]
    public void Given_a_hostile_party_mapping_option_When_read_Then_it_is_refused_naming_the_pair(string pair)
    {
        var (codes, errors) = Normalization.Api.Exporting.ActorCodes.Parse([pair]);
        codes.ShouldBeNull();
        errors.Count.ShouldBe(1);
        errors[0].ShouldNotContain("\n");
    }

    [Fact]
    public void Given_valid_options_When_read_Then_they_are_read()
    {
        DataCommand<StateInput>.Date("2025-03", "as-of").ShouldBe(new DateOnly(2025, 3, 31));
        DataCommand<ImportInput>.Day("2017-10-31", "covered-until").ShouldBe(new DateOnly(2017, 10, 31));
        DataCommand<ImportInput>.Day(null, "covered-until").ShouldBeNull();
        DataCommand<StateInput>.Instant("2025-03-20T04:30:00+04:30", "known-at").ShouldBe(new DateTimeOffset(2025, 3, 20, 0, 0, 0, TimeSpan.Zero));
        Exporter.FormatOf("CSV", null).ShouldBe(ExportFormat.Csv);
        Normalization.Api.Exporting.CsvDialects.Parse("Excel").ShouldBe(Normalization.Api.Exporting.CsvDialect.Excel);
        Normalization.Api.Exporting.ActorCodes.Parse(["US=USA", "TB=AFGTAL"]).Codes!.Of("TB").ShouldBe("AFGTAL");
    }
}
