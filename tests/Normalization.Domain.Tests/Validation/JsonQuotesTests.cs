using Normalization.Domain.Histories;

namespace Normalization.Domain.Tests.Validation;

/// <summary>
/// A history line written or pasted through a word processor or spreadsheet (typographic quotes), or in JavaScript's way
/// (single quotes), is refused as malformed_json with what to change — not System.Text.Json's "'0xE2' is an invalid start of
/// a property name" (a researcher's trial); a typographic quote inside a string is text and is never blamed.
/// </summary>
public sealed class JsonQuotesTests
{
    const string Valid = """{"type":"TalksHeld","occurredOn":"2025-03-20","actor":"US","target":"TB","participants":["US","TB"]}""";

    [Theory]
    [InlineData('\u201C', '\u201D')] // “ ” — Word, Excel, macOS
    [InlineData('\u201E', '\u201C')] // „ “ — German
    [InlineData('\u00AB', '\u00BB')] // « » — French
    [InlineData('\u2018', '\u2019')] // ‘ ’
    public void Given_a_line_with_typographic_quotes_around_names_When_read_Then_malformed_json_names_the_quote_and_the_straight_one(char open, char close)
    {
        // Given a line whose straight quotes were replaced
        var line = Valid.Replace("\"type\"", $"{open}type{close}");

        // When it is read
        var read = NdjsonHistory.ParseLine(3, line);

        // Then one malformed_json error names the typographic quote and the straight double quote to write
        read.Errors.Count.ShouldBe(1);
        read.Errors[0].Code.ShouldBe("malformed_json");
        read.Errors[0].Line.ShouldBe(3);
        read.Errors[0].Message.ShouldContain($"typographic quote {open}");
        read.Errors[0].Message.ShouldContain("straight double quote (\")");
        read.Errors[0].Message.ShouldNotContain("0x");
    }

    [Fact]
    public void Given_a_line_with_single_quotes_When_read_Then_malformed_json_says_JSON_takes_double_quotes()
    {
        var read = NdjsonHistory.ParseLine(1, Valid.Replace('"', '\''));

        read.Errors.Single().Message.ShouldContain("single quote (')");
    }

    [Fact]
    public void Given_typographic_quotes_inside_a_string_When_the_line_is_otherwise_valid_Then_it_is_read()
    {
        var read = NdjsonHistory.ParseLine(1, Valid.Replace("}", ",\"note\":\"the “Doha” track\"}"));

        read.Errors.ShouldBeEmpty();
        read.Event.ShouldNotBeNull();
    }

    [Fact]
    public void Given_a_line_broken_elsewhere_that_holds_a_typographic_quote_in_a_string_When_read_Then_the_quote_is_not_blamed()
    {
        var read = NdjsonHistory.ParseLine(1, Valid.Replace("}", ",\"note\":\"the “Doha” track\",}"));

        read.Errors.Single().Code.ShouldBe("malformed_json");
        read.Errors.Single().Message.ShouldNotContain("typographic");
    }
}
