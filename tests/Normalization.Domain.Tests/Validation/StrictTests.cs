using System.Text.RegularExpressions;
using Normalization.Domain.Catalog;
using Normalization.Domain.Validation;

namespace Normalization.Domain.Tests.Validation;

/// <summary>Issue 14: the input rules of <see cref="Strict"/>, and a scan that keeps every pattern of the product under them.</summary>
public sealed class StrictTests
{
    [Theory]
    [InlineData("2025-03-20")] [InlineData("2025-03")] [InlineData("2025")]
    public void Given_an_ASCII_date_When_parsed_Then_it_is_read(string text) => DomainDate.TryParse(text, out _).ShouldBeTrue();

    [Theory]
    [InlineData("۲۰۲۵-۰۳-۲۰")] [InlineData("٢٠٢٥-٠٣-٢٠")] [InlineData("２０２５-０３-２０")] [InlineData("2025-03-20\n")] [InlineData("2025-03-20\r\n")]
    [InlineData(" 2025-03-20")] [InlineData("2025-03-20 ")] [InlineData("2025-3-20")] [InlineData("03/20/2025")] [InlineData("")]
    public void Given_a_date_in_another_script_or_with_a_line_break_When_parsed_Then_it_is_refused_without_throwing(string text) =>
        DomainDate.TryParse(text, out _).ShouldBeFalse();

    [Theory]
    [InlineData("2025-04-01T00:00:00Z", "2025-04-01T00:00:00+00:00")]
    [InlineData("2025-04-01T04:30+04:30", "2025-04-01T00:00:00+00:00")]
    [InlineData("2025-04-01T00:00:00.1234567Z", "2025-04-01T00:00:00.1234567+00:00")]
    [InlineData("2025-04-01", "2025-04-01T00:00:00+00:00")]
    [InlineData("2025-04-01t10:00:00z", "2025-04-01T10:00:00+00:00")]
    [InlineData("2025-04-01T10:00:00z", "2025-04-01T10:00:00+00:00")]
    [InlineData("2025-04-01t10:00+04:30", "2025-04-01T05:30:00+00:00")]
    [InlineData("2025-04-01T00:00:00.123456789Z", "2025-04-01T00:00:00.1234567+00:00")]
    [InlineData("2025-04-01T23:59:59.99999999999999999999Z", "2025-04-01T23:59:59.9999999+00:00")]
    public void Given_an_ISO_8601_instant_with_a_zone_When_parsed_Then_it_is_read_in_UTC(string text, string expected)
    {
        Strict.TryInstant(text, out var instant).ShouldBeTrue();
        instant.ShouldBe(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
        instant.Offset.ShouldBe(TimeSpan.Zero);
    }

    [Theory]
    [InlineData("01/12/2026")] [InlineData("Dec 31 2026")] [InlineData("2026-01-01T10:00:00")] [InlineData("2026-01-01T10:00:00Z\n")]
    [InlineData("۲۰۲۶-۰۱-۰۱")] [InlineData("2026-02-30")] [InlineData("2026-01-01T25:00:00Z")] [InlineData("2026-01-01 10:00:00Z")] [InlineData("")]
    [InlineData("2026-01-01T10:00:00.Z")] [InlineData("2026-01-01T10:00:00.1۲Z")] [InlineData("2026-01-01x10:00:00Z")] [InlineData("2026-01-01T10:00:00+04:30z")]
    public void Given_a_culture_dependent_or_zoneless_instant_When_parsed_Then_it_is_refused(string text) =>
        Strict.TryInstant(text, out _).ShouldBeFalse();

    [Theory]
    [InlineData("1", 1)] [InlineData("0", 0)] [InlineData("999999999", 999_999_999)]
    public void Given_ASCII_digits_When_read_as_an_integer_Then_they_are_read(string text, int expected)
    {
        Strict.TryInt(text, out var value).ShouldBeTrue();
        value.ShouldBe(expected);
    }

    [Theory]
    [InlineData("۵")] [InlineData("５")] [InlineData(" 5")] [InlineData("5\n")] [InlineData("+5")] [InlineData("-5")] [InlineData("1e3")]
    [InlineData("1.5")] [InlineData("0x10")] [InlineData("9999999999")] [InlineData("")]
    public void Given_anything_but_ASCII_digits_When_read_as_an_integer_Then_it_is_refused(string text) => Strict.TryInt(text, out _).ShouldBeFalse();

    [Theory]
    [InlineData("Confirmed")] [InlineData("confirmed")] [InlineData("CONFIRMED")]
    public void Given_an_enum_name_in_any_case_When_read_Then_it_is_read(string text)
    {
        Strict.TryName<Confidence>(text, out var value).ShouldBeTrue();
        value.ShouldBe(Confidence.Confirmed);
    }

    [Theory]
    [InlineData("2")] [InlineData("Rumoured,Confirmed")] [InlineData(" Confirmed")] [InlineData("Confirmed\n")] [InlineData("-1")] [InlineData("")]
    public void Given_a_number_list_or_padded_enum_value_When_read_Then_it_is_refused(string text) => Strict.TryName<Confidence>(text, out _).ShouldBeFalse();

    [Theory]
    [InlineData("0b9e3c1e-5d2a-4c8f-9a51-2f6d7e8a9b10\n")] [InlineData(" 0b9e3c1e-5d2a-4c8f-9a51-2f6d7e8a9b10")] [InlineData("{0b9e3c1e-5d2a-4c8f-9a51-2f6d7e8a9b10}")]
    [InlineData("0b9e3c1e5d2a4c8f9a512f6d7e8a9b10")] [InlineData("00000000-0000-0000-0000-000000000000")] [InlineData("")]
    public void Given_a_GUID_in_another_form_or_padded_When_read_Then_it_is_refused(string text) => Strict.TryGuid(text, out _).ShouldBeFalse();

    [Theory]
    [InlineData("Doha", false, null)] [InlineData("Doha\n", false, "untrimmed")] [InlineData(" Doha", false, "untrimmed")]
    [InlineData("Do\nha", false, "control_character")] [InlineData("Do\nha", true, null)] [InlineData("Do\u0007ha", true, "control_character")]
    [InlineData("Do\u2028ha", true, null)] [InlineData("Do\u2028ha", false, "control_character")] [InlineData("Do\u2029ha", true, null)]
    [InlineData("Do\rha", true, null)] [InlineData("Do\rha", false, "control_character")] [InlineData("Doha\r\n", true, "untrimmed")]
    public void Given_text_When_checked_Then_only_trimmed_text_without_control_characters_passes(string text, bool multiline, string? code) =>
        Strict.TextProblem(text, multiline)?.Code.ShouldBe(code);

    [Theory]
    [InlineData("Do\u200Bha")] [InlineData("\uFEFFDoha")] [InlineData("Doha\uFEFF")] [InlineData("Do\u202Eha")] [InlineData("Do\u202Aha")]
    [InlineData("Do\u2066ha")] [InlineData("Do\u2069ha")] [InlineData("Do\u180Eha")] [InlineData("Do\u2060ha")] [InlineData("Do\u00ADha")]
    public void Given_an_invisible_format_character_When_checked_Then_control_character(string text)
    {
        Strict.TextProblem(text)?.Code.ShouldBe("control_character");
        Strict.TextProblem(text, multiline: true)?.Code.ShouldBe("control_character");
    }

    [Theory]
    [InlineData("می\u200Cخواهم")] [InlineData("क्\u200Dष")] [InlineData("Doha \u200E(الدوحة)")] [InlineData("الدوحة\u200Fx")]
    public void Given_a_joiner_or_direction_mark_inside_text_When_checked_Then_it_is_allowed(string text) => Strict.TextProblem(text).ShouldBeNull();

    [Theory]
    [InlineData("\u200B")] [InlineData("\uFEFF")] [InlineData(" \u2060 ")] [InlineData("\u200C\u200D")] [InlineData("\u2028")] [InlineData("")]
    public void Given_only_invisible_characters_When_checked_for_blank_Then_blank(string text) => Strict.IsBlank(text).ShouldBeTrue();

    [Theory]
    [InlineData("12", 0)] [InlineData("12.5", 1)] [InlineData("12.50", 1)] [InlineData("12.345", 3)] [InlineData("1e-30", 30)]
    [InlineData("125e-2", 2)] [InlineData("1e3", 0)] [InlineData("1.5e1", 0)] [InlineData("0.000", 0)] [InlineData("1E-99999999999999999999", 1_000_000_000_000_000)]
    public void Given_a_JSON_number_When_its_decimal_places_are_counted_Then_trailing_zeros_and_the_exponent_count(string number, long places) =>
        Strict.DecimalPlaces(number).ShouldBe(places);

    [Fact]
    public void Given_every_regular_expression_in_the_product_When_scanned_Then_each_uses_ASCII_digits_and_anchors_at_the_true_end()
    {
        // A pattern literal next to Regex / GeneratedRegex: no \d (any script's digits) and no $ (matches before a final \n).
        var root = RepoRoot();
        var literal = new Regex(@"(?:GeneratedRegex|Regex\.(?:Match|IsMatch|Matches|Replace|Split)|new Regex)\((?:[^""@]*?,\s*)?@?""((?:[^""\\]|\\.|"""")*)""", RegexOptions.Singleline);
        var found = 0;
        var problems = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/") && !f.Contains("/bin/")))
            foreach (Match m in literal.Matches(File.ReadAllText(file)))
            {
                found++;
                var pattern = m.Groups[1].Value;
                if (pattern.Contains(@"\d")) problems.Add($"{Path.GetFileName(file)}: {pattern} uses \\d (use [0-9])");
                if (pattern.TrimEnd().EndsWith('$')) problems.Add($"{Path.GetFileName(file)}: {pattern} ends with $ (use \\z)");
                if (pattern.StartsWith('^')) problems.Add($"{Path.GetFileName(file)}: {pattern} starts with ^ (use \\A)");
            }
        found.ShouldBeGreaterThanOrEqualTo(6, "the scan found too few patterns: the literal matcher is out of date");
        problems.ShouldBeEmpty();
    }

    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props"))) return dir.FullName;
        throw new InvalidOperationException("Repository root (Directory.Packages.props) not found.");
    }

    [Theory]
    [InlineData("1000", 1000)] [InlineData("1e3", 1000)] [InlineData("1E+3", 1000)] [InlineData("1.0e3", 1000)] [InlineData("1000.000", 1000)]
    [InlineData("10000e-1", 1000)] [InlineData("0", 0)] [InlineData("-0", 0)]
    public void Given_an_integral_JSON_number_in_any_spelling_When_read_as_an_integer_Then_its_value_is_read(string json, long expected)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);

        Strict.ReadInteger(doc.RootElement, 0, 10_000, out var value).ShouldBe(Strict.IntegerReading.Ok);
        value.ShouldBe(expected);
    }

    [Theory]
    [InlineData("1.5", Strict.IntegerReading.NotAnInteger)] [InlineData("15e-1", Strict.IntegerReading.NotAnInteger)] [InlineData("1e-30", Strict.IntegerReading.NotAnInteger)]
    [InlineData("\"5\"", Strict.IntegerReading.NotAnInteger)] [InlineData("true", Strict.IntegerReading.NotAnInteger)]
    [InlineData("10001", Strict.IntegerReading.OutOfRange)] [InlineData("1e20", Strict.IntegerReading.OutOfRange)] [InlineData("1e400", Strict.IntegerReading.OutOfRange)]
    [InlineData("-1", Strict.IntegerReading.OutOfRange)] [InlineData("-1e400", Strict.IntegerReading.OutOfRange)] [InlineData("99999999999999999999999999999999", Strict.IntegerReading.OutOfRange)]
    public void Given_a_fractional_or_out_of_range_JSON_number_When_read_as_an_integer_Then_it_is_refused_with_its_kind(string json, Strict.IntegerReading expected)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);

        Strict.ReadInteger(doc.RootElement, 0, 10_000, out _).ShouldBe(expected);
    }
}
