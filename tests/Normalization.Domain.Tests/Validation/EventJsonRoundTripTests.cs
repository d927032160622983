using Normalization.Domain.Catalog;
using Normalization.Domain.Histories;
using Normalization.Domain.Tests.Support;
using static Normalization.Domain.Tests.Support.Given;

namespace Normalization.Domain.Tests.Validation;

/// <summary>What EventJson writes, EventReader (and so the NDJSON import) must read back.</summary>
public class EventJsonRoundTripTests
{
    [Fact]
    public void Bug_correction_without_eventId_written_with_an_empty_GUID_that_the_reader_rejects__ndjson_export_then_import_round_trips()
    {
        var n = Negotiation().HasTalks("2025-03-20");
        n.HasCorrection(Id(1), "2025-04-01", new TalksHeld { Participants = [US, TB], OccurredOn = DomainDate.Parse("2025-03-21"), Actor = US, Target = TB });
        var text = NdjsonHistory.OpeningLine(n.Opening) + "\n" + string.Join("\n", n.Events.Select(EventJson.Serialize));

        var (_, events, errors) = NdjsonHistory.ReadAll(new StringReader(text), new DateOnly(2026, 1, 1));

        errors.ShouldBeEmpty();
        events.Select(EventJson.Serialize).ShouldBe(n.Events.Select(EventJson.Serialize));
        EventJson.Serialize(n.Events[1]).ShouldNotContain("00000000-0000-0000-0000-000000000000");
    }

    [Fact]
    public void Given_the_seed_When_written_and_read_back_Then_every_event_is_the_same()
    {
        using var reader = File.OpenText(Path.Combine(AppContext.BaseDirectory, "Seed", "us-taliban.ndjson"));
        var (opening, events, errors) = NdjsonHistory.ReadAll(reader, new DateOnly(2026, 1, 1));
        errors.ShouldBeEmpty();
        var text = NdjsonHistory.OpeningLine(opening!) + "\n" + string.Join("\n", events.Select(EventJson.Serialize));

        var (again, eventsAgain, errorsAgain) = NdjsonHistory.ReadAll(new StringReader(text), new DateOnly(2026, 1, 1));

        errorsAgain.ShouldBeEmpty();
        EventJson.Serialize(again!).ShouldBe(EventJson.Serialize(opening!));
        eventsAgain.Select(EventJson.Serialize).ShouldBe(events.Select(EventJson.Serialize));
        eventsAgain.Select(e => EventJson.Deserialize(EventJson.Serialize(e))).Select(EventJson.Serialize).ShouldBe(events.Select(EventJson.Serialize));
    }
}
