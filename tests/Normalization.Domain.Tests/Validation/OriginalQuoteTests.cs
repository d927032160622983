using System.Text.Json;
using Normalization.Domain.Catalog;
using Normalization.Domain.Validation;

namespace Normalization.Domain.Tests.Validation;

/// <summary>A source keeps the words as written beside their English translation: quote, originalQuote, originalLanguage.</summary>
public class OriginalQuoteTests
{
    const string Statement = "{\"type\":\"StatementIssued\",\"tone\":\"Positive\",\"occurredOn\":\"2025-04-03\",\"actor\":\"US\",\"target\":\"TB\",\"sources\":[{\"publisher\":\"CNN\",";

    static (NegotiationEvent? Event, List<FieldError> Errors) Read(string sourceFields)
    {
        using var doc = JsonDocument.Parse(Statement + sourceFields + "}]}");
        var errors = new List<FieldError>();
        return (EventReader.Read(doc.RootElement, "events[0]", errors), errors);
    }

    [Fact]
    public void Given_a_French_original_beside_its_translation_When_read_and_written_back_Then_both_are_kept_as_given()
    {
        var (e, errors) = Read("\"quote\":\"They understand this normalization goes step by step.\",\"originalQuote\":\"Ils comprennent que cette normalisation se fait pas à pas.\",\"originalLanguage\":\"fr\"");

        errors.ShouldBeEmpty();
        var source = e!.Sources.ShouldHaveSingleItem();
        source.OriginalQuote.ShouldBe("Ils comprennent que cette normalisation se fait pas à pas.");
        source.OriginalLanguage.ShouldBe("fr");
        var back = JsonSerializer.Deserialize<NegotiationEvent>(JsonSerializer.Serialize(e, EventJson.Options), EventJson.Options)!;
        back.Sources.Single().ShouldBe(source);
    }

    [Fact]
    public void Given_an_original_quote_without_its_language_When_read_Then_required_at_originalLanguage()
    {
        var (e, errors) = Read("\"originalQuote\":\"pas à pas\"");

        e.ShouldBeNull();
        errors.ShouldContain(x => x.Path == "events[0].sources[0].originalLanguage" && x.Code == "required");
    }

    [Theory]
    [InlineData("French")]
    [InlineData("FR")]
    [InlineData("fr-fr")]
    [InlineData("fr_FR")]
    [InlineData("f")]
    public void Given_a_language_that_is_not_a_tag_When_read_Then_invalid_language_tag(string language)
    {
        var (_, errors) = Read($"\"originalQuote\":\"pas à pas\",\"originalLanguage\":\"{language}\"");

        errors.ShouldContain(x => x.Path == "events[0].sources[0].originalLanguage" && (x.Code == "invalid_language_tag" || x.Code == "too_long"));
    }

    [Fact]
    public void Given_the_seed_When_read_Then_the_quoted_sources_keep_the_French_article_s_words()
    {
        using var reader = File.OpenText(Path.Combine(AppContext.BaseDirectory, "Seed", "us-taliban.ndjson"));
        reader.ReadLine();
        var sources = new List<Source>();
        while (reader.ReadLine() is { Length: > 0 } line)
            sources.AddRange(JsonSerializer.Deserialize<NegotiationEvent>(line, EventJson.Options)!.Sources.Where(s => s.OriginalQuote is not null));

        sources.Count.ShouldBeGreaterThanOrEqualTo(5);
        sources.ShouldAllBe(s => s.OriginalLanguage == "fr" && s.Quote != null && s.Quote != s.OriginalQuote);
        sources.ShouldContain(s => s.OriginalQuote == "Ils comprennent que cette normalisation se fait pas à pas.");
    }
}
