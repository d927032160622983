using System.Text.Json;
using Normalization.Domain.Catalog;
using Normalization.Domain.Validation;

namespace Normalization.Domain.Tests.Validation;

/// <summary>EventReader: the structural check of one flat JSON event, every problem with its path and code.</summary>
public class EventReaderTests
{
    const string Envelope = "\"eventId\":\"00000000-0000-0000-0000-000000000001\",\"occurredOn\":\"2025-03-20\",\"actor\":\"US\",\"target\":\"TB\"";

    static (NegotiationEvent? Event, List<FieldError> Errors) Read(string json, string path = "events[0]")
    {
        using var doc = JsonDocument.Parse(json);
        var errors = new List<FieldError>();
        var e = EventReader.Read(doc.RootElement, path, errors);
        return (e, errors);
    }

    static void ShouldHave(List<FieldError> errors, string path, string code) =>
        errors.ShouldContain(e => e.Path == path && e.Code == code, $"expected {path} {code}; got: {string.Join("; ", errors.Select(e => $"{e.Path} {e.Code}"))}");

    [Fact]
    public void Given_a_valid_flat_event_When_read_Then_the_typed_event_and_no_errors()
    {
        var (e, errors) = Read("{" + Envelope + ",\"type\":\"TalksHeld\",\"participants\":[\"US\",\"TB\"],\"level\":\"Senior\",\"confidence\":\"Confirmed\"}");

        errors.ShouldBeEmpty();
        var talks = e.ShouldBeOfType<TalksHeld>();
        talks.Level.ShouldBe(TalksLevel.Senior);
        talks.OccurredOn.ShouldBe(new DomainDate(2025, 3, 20));
        talks.Confidence.ShouldBe(Confidence.Confirmed);
    }

    [Fact]
    public void Given_not_an_object_When_read_Then_not_an_object_at_the_event_path()
    {
        var (e, errors) = Read("[1,2]");

        e.ShouldBeNull();
        ShouldHave(errors, "events[0]", "not_an_object");
    }

    [Fact]
    public void Given_no_type_When_read_Then_type_required()
    {
        var (_, errors) = Read("{" + Envelope + "}");
        ShouldHave(errors, "events[0].type", "required");
    }

    [Fact]
    public void Given_a_type_that_is_not_a_string_When_read_Then_wrong_type()
    {
        var (_, errors) = Read("{" + Envelope + ",\"type\":42}");
        ShouldHave(errors, "events[0].type", "wrong_type");
    }

    [Fact]
    public void Given_an_unknown_type_When_read_Then_unknown_event_type_listing_the_known_types()
    {
        var (e, errors) = Read("{" + Envelope + ",\"type\":\"Summit\"}");

        e.ShouldBeNull();
        var error = errors.Single();
        error.Path.ShouldBe("events[0].type");
        error.Code.ShouldBe("unknown_event_type");
        error.Message.ShouldContain("'Summit'");
        foreach (var name in EventCatalog.Names) error.Message.ShouldContain(name);
    }

    [Fact]
    public void Given_an_unknown_field_When_read_Then_unknown_field_listing_the_allowed_ones()
    {
        var (e, errors) = Read("{" + Envelope + ",\"type\":\"ThreatIssued\",\"severity\":3}");

        e.ShouldBeNull();
        var error = errors.Single();
        error.Path.ShouldBe("events[0].severity");
        error.Code.ShouldBe("unknown_field");
        error.Message.ShouldContain("quote");
    }

    [Fact]
    public void Given_a_duplicate_field_When_read_Then_duplicate_field()
    {
        var (_, errors) = Read("{" + Envelope + ",\"type\":\"ThreatIssued\",\"quote\":\"a\",\"quote\":\"b\"}");
        ShouldHave(errors, "events[0].quote", "duplicate_field");
    }

    [Theory]
    [InlineData("\"type\":\"ThreatIssued\",\"quote\":5", "events[0].quote", "wrong_type")]
    [InlineData("\"type\":\"StatementIssued\",\"tone\":\"Cheerful\"", "events[0].tone", "unknown_value")]
    [InlineData("\"type\":\"StatementIssued\",\"tone\":1", "events[0].tone", "unknown_value")]
    [InlineData("\"type\":\"StatementIssued\"", "events[0].tone", "required")]
    [InlineData("\"type\":\"StatementIssued\",\"tone\":null", "events[0].tone", "required")]
    [InlineData("\"type\":\"EnvoyAppointed\",\"envoy\":\"  \"", "events[0].envoy", "required")]
    [InlineData("\"type\":\"MilitaryStrike\",\"casualties\":-1", "events[0].casualties", "out_of_range")]
    [InlineData("\"type\":\"MilitaryStrike\",\"casualties\":1.5", "events[0].casualties", "wrong_type")]
    [InlineData("\"type\":\"AidProvided\",\"amountUsd\":\"lots\"", "events[0].amountUsd", "wrong_type")]
    [InlineData("\"type\":\"AidProvided\",\"amountUsd\":-5", "events[0].amountUsd", "out_of_range")]
    [InlineData("\"type\":\"AssetsFrozen\",\"amountUsd\":79228162514264337593543950335", "events[0].amountUsd", "out_of_range")]
    [InlineData("\"type\":\"AssetsFrozen\",\"amountUsd\":1000000000000000.01", "events[0].amountUsd", "out_of_range")]
    [InlineData("\"type\":\"AssetsFrozen\",\"amountUsd\":1e400", "events[0].amountUsd", "out_of_range")]
    [InlineData("\"type\":\"AssetsFrozen\",\"amountUsd\":1e-30", "events[0].amountUsd", "too_precise")]
    [InlineData("\"type\":\"AssetsFrozen\",\"amountUsd\":10.005", "events[0].amountUsd", "too_precise")]
    [InlineData("\"type\":\"MilitaryStrike\",\"casualties\":10000001", "events[0].casualties", "out_of_range")]
    [InlineData("\"type\":\"MilitaryStrike\",\"casualties\":99999999999999999999999", "events[0].casualties", "out_of_range")]
    [InlineData("\"type\":\"TalksHeld\",\"participants\":[\"US\",\"us\"]", "events[0].participants[1]", "invalid_party_code")]
    [InlineData("\"type\":\"TalksHeld\",\"participants\":[\"US\",\"TB\",\"US\"]", "events[0].participants[2]", "duplicate_item")]
    [InlineData("\"type\":\"TalksHeld\",\"participants\":[\"US\",\"TB\"],\"facilitator\":\"qa\"", "events[0].facilitator", "invalid_party_code")]
    [InlineData("\"type\":\"PrisonerReleased\",\"person\":\"x\",\"nationality\":\"us\"", "events[0].nationality", "invalid_country_code")]
    [InlineData("\"type\":\"PrisonerReleased\",\"person\":\"x\",\"nationality\":\"USA-1\"", "events[0].nationality", "invalid_country_code")]
    [InlineData("\"type\":\"AttackOccurred\",\"victimsNationalities\":[\"AF\",\"AF\"]", "events[0].victimsNationalities[1]", "duplicate_item")]
    [InlineData("\"type\":\"EnvoyAppointed\",\"envoy\":\"\u200b\"", "events[0].envoy", "required")]
    [InlineData("\"type\":\"TalksHeld\",\"participants\":\"US,TB\"", "events[0].participants", "wrong_type")]
    [InlineData("\"type\":\"TalksHeld\",\"participants\":[]", "events[0].participants", "required")]
    [InlineData("\"type\":\"TalksHeld\",\"participants\":[\"US\",7]", "events[0].participants[1]", "wrong_type")]
    [InlineData("\"type\":\"PrisonersExchanged\",\"releases\":{}", "events[0].releases", "wrong_type")]
    [InlineData("\"type\":\"PrisonersExchanged\",\"releases\":[5]", "events[0].releases[0]", "wrong_type")]
    [InlineData("\"type\":\"PrisonersExchanged\",\"releases\":[{\"releasedBy\":\"TB\"}]", "events[0].releases[0].person", "required")]
    [InlineData("\"type\":\"PrisonersExchanged\",\"releases\":[{\"releasedBy\":\"TB\",\"person\":\"x\",\"age\":3}]", "events[0].releases[0].age", "unknown_field")]
    [InlineData("\"type\":\"EventRetracted\",\"targetEventId\":\"nope\",\"reason\":\"r\"", "events[0].targetEventId", "invalid_guid")]
    [InlineData("\"type\":\"EventRetracted\",\"targetEventId\":\"00000000-0000-0000-0000-000000000000\",\"reason\":\"r\"", "events[0].targetEventId", "invalid_guid")]
    [InlineData("\"type\":\"EventCorrected\",\"targetEventId\":\"00000000-0000-0000-0000-000000000001\",\"correction\":\"x\"", "events[0].correction", "wrong_type")]
    public void Given_a_field_of_the_wrong_shape_When_read_Then_its_path_and_code(string fields, string path, string code)
    {
        var (e, errors) = Read("{" + Envelope + "," + fields + "}");

        e.ShouldBeNull();
        ShouldHave(errors, path, code);
    }

    [Theory]
    [InlineData("\"type\":\"AssetsFrozen\",\"amountUsd\":1000000000000000")]
    [InlineData("\"type\":\"AssetsFrozen\",\"amountUsd\":1e15")]
    [InlineData("\"type\":\"AssetsFrozen\",\"amountUsd\":12.50")]
    [InlineData("\"type\":\"AssetsFrozen\",\"amountUsd\":0")]
    [InlineData("\"type\":\"MilitaryStrike\",\"casualties\":10000000")]
    [InlineData("\"type\":\"PrisonerReleased\",\"person\":\"x\",\"nationality\":\"AF\",\"facilitator\":\"ISIS-K\"")]
    public void Given_a_number_or_code_at_its_documented_limit_When_read_Then_it_is_read(string fields)
    {
        var (e, errors) = Read("{" + Envelope + "," + fields + "}");

        errors.ShouldBeEmpty();
        e.ShouldNotBeNull();
    }

    [Theory]
    [InlineData("\"occurredOn\":\"20-03-2025\"", "events[0].occurredOn", "invalid_date")]
    [InlineData("\"occurredOn\":\"2025-02-30\"", "events[0].occurredOn", "invalid_date")]
    [InlineData("\"occurredOn\":\"2025-13\"", "events[0].occurredOn", "invalid_date")]
    [InlineData("\"eventId\":\"not-a-guid\"", "events[0].eventId", "invalid_guid")]
    [InlineData("\"actor\":\"us\"", "events[0].actor", "invalid_party_code")]
    [InlineData("\"target\":\"Taliban movement\"", "events[0].target", "invalid_party_code")]
    [InlineData("\"confidence\":\"Certain\"", "events[0].confidence", "unknown_value")]
    [InlineData("\"confidence\":\" Confirmed \"", "events[0].confidence", "untrimmed")]
    [InlineData("\"confidence\":\"Reported\\t\"", "events[0].confidence", "untrimmed")]
    [InlineData("\"occurredOn\":\"2025-03-20 \"", "events[0].occurredOn", "untrimmed")]
    [InlineData("\"occurredOn\":\" 2025-03\"", "events[0].occurredOn", "untrimmed")]
    [InlineData("\"occurredOn\":\" 20-03-2025\"", "events[0].occurredOn", "invalid_date")]
    [InlineData("\"confidence\":\" Certain \"", "events[0].confidence", "unknown_value")]
    [InlineData("\"sources\":[{\"url\":\"https://x\"}]", "events[0].sources[0].publisher", "required")]
    [InlineData("\"sources\":[{\"publisher\":\"CNN\",\"publishedOn\":\"yesterday\"}]", "events[0].sources[0].publishedOn", "invalid_date")]
    public void Given_a_bad_envelope_field_When_read_Then_its_path_and_code(string field, string path, string code)
    {
        var name = field[1..field.IndexOf('"', 1)];
        var envelope = string.Join(",", new[] { "\"eventId\":\"00000000-0000-0000-0000-000000000001\"", "\"occurredOn\":\"2025-03-20\"", "\"actor\":\"US\"", "\"target\":\"TB\"" }
            .Where(f => !f.StartsWith($"\"{name}\"", StringComparison.Ordinal)));

        var (_, errors) = Read("{" + envelope + "," + field + ",\"type\":\"ThreatIssued\"}");

        ShouldHave(errors, path, code);
    }

    [Fact]
    public void Given_missing_envelope_fields_When_read_Then_each_is_reported_at_once()
    {
        var (_, errors) = Read("{\"type\":\"ThreatIssued\"}");

        ShouldHave(errors, "events[0].occurredOn", "required");
        ShouldHave(errors, "events[0].actor", "required");
        errors.Count.ShouldBe(2);
    }

    [Fact]
    public void Given_a_string_longer_than_its_maximum_When_read_Then_too_long()
    {
        var (_, errors) = Read("{" + Envelope + ",\"type\":\"DemandMet\",\"demandId\":\"" + new string('x', 101) + "\"}");
        ShouldHave(errors, "events[0].demandId", "too_long");
    }

    [Fact]
    public void Given_an_array_of_more_than_200_items_When_read_Then_too_many()
    {
        var items = string.Join(",", Enumerable.Range(0, 201).Select(i => $"\"P{i}\""));
        var (_, errors) = Read("{" + Envelope + ",\"type\":\"RewardOffered\",\"targets\":[" + items + "]}");
        ShouldHave(errors, "events[0].targets", "too_many");
    }

    [Fact]
    public void Bug_correction_deserialized_polymorphically_before_being_read__a_bad_inner_field_is_reported_under_correction()
    {
        var (e, errors) = Read("{" + Envelope + ",\"type\":\"EventCorrected\",\"targetEventId\":\"00000000-0000-0000-0000-000000000009\"," +
            "\"correction\":{\"type\":\"TalksHeld\",\"occurredOn\":\"2025-03-20\",\"actor\":\"US\",\"participants\":[\"US\",\"TB\"],\"level\":\"Casual\"}}");

        e.ShouldBeNull();
        ShouldHave(errors, "events[0].correction.level", "unknown_value");
    }

    [Fact]
    public void Given_a_valid_correction_When_read_Then_the_inner_event_is_typed()
    {
        var (e, errors) = Read("{" + Envelope + ",\"type\":\"EventCorrected\",\"targetEventId\":\"00000000-0000-0000-0000-000000000009\"," +
            "\"correction\":{\"type\":\"TalksHeld\",\"occurredOn\":\"2025-03-21\",\"actor\":\"US\",\"participants\":[\"US\",\"TB\"]}}");

        errors.ShouldBeEmpty();
        var c = e.ShouldBeOfType<EventCorrected>();
        c.Correction.ShouldBeOfType<TalksHeld>().OccurredOn.ShouldBe(new DomainDate(2025, 3, 21));
    }

    [Fact]
    public void Bug_correction_deserialized_polymorphically_before_being_read__its_type_need_not_be_the_first_field()
    {
        var (e, errors) = Read("{" + Envelope + ",\"type\":\"EventCorrected\",\"targetEventId\":\"00000000-0000-0000-0000-000000000009\"," +
            "\"correction\":{\"occurredOn\":\"2025-03-21\",\"type\":\"TalksHeld\",\"actor\":\"US\",\"participants\":[\"US\",\"TB\"]}}");

        errors.ShouldBeEmpty();
        e.ShouldBeOfType<EventCorrected>().Correction.ShouldBeOfType<TalksHeld>();
    }

    [Fact]
    public void Bug_correction_deserialized_polymorphically_before_being_read__a_missing_type_is_correction_type_required()
    {
        var (_, errors) = Read("{" + Envelope + ",\"type\":\"EventCorrected\",\"targetEventId\":\"00000000-0000-0000-0000-000000000009\"," +
            "\"correction\":{\"occurredOn\":\"2025-03-21\",\"actor\":\"US\",\"participants\":[\"US\",\"TB\"]}}");

        ShouldHave(errors, "events[0].correction.type", "required");
    }

    [Fact]
    public void Given_an_event_at_the_root_When_read_with_an_empty_path_Then_paths_are_bare_field_names()
    {
        var (_, errors) = Read("{\"type\":\"ThreatIssued\",\"occurredOn\":\"2025\",\"actor\":\"US\",\"bogus\":1}", "");
        ShouldHave(errors, "bogus", "unknown_field");
    }
}
