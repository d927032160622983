using System.Text;
using System.Text.Json.Nodes;
using Marten;
using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Domain.Catalog;
using static Normalization.Api.Tests.Storage.StoreSupport;

namespace Normalization.Api.Tests.Storage;

/// <summary>Issue 15: the one adapter that writes into Marten's event table follows Marten's own schema objects.</summary>
[Collection(ApiCollection.Name)]
public sealed class MartenEventCopyTests(AppFixture app)
{
    [Fact]
    public void Given_Marten_s_event_table_as_Marten_declares_it_When_the_bulk_adapter_is_built_Then_it_writes_or_knowingly_leaves_every_column()
    {
        // When Marten adds, renames or drops a column of mt_events, this fails (and the adapter refuses to run)
        // instead of an import silently writing the wrong shape.
        var copy = new MartenEventCopy(app.Store);

        copy.ColumnsOfMarten.Order(StringComparer.Ordinal)
            .ShouldBe(MartenEventCopy.Written.Concat(MartenEventCopy.Unwritten).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Given_events_of_many_types_and_a_correction_When_the_bulk_adapter_writes_their_bodies_Then_each_is_the_body_Marten_writes_when_it_appends_the_event()
    {
        // Imported and appended events must be stored alike: one upcasting path reads both, and the body of an event is
        // Marten's business (its type lives in Marten's own columns, not in a discriminator inside the JSON).
        var copy = new MartenEventCopy(app.Store);
        var events = Synthetic(400, 5);
        var target = events.First(e => e is TalksHeld);
        events.Add(new EventCorrected
        {
            EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(new DateOnly(2025, 3, 1)), Actor = "US", Target = "TB", TargetEventId = target.EventId,
            Correction = target with { OccurredOn = DomainDate.FromDate(target.Date.AddDays(-40)) },
        });
        events.Select(e => e.GetType()).Distinct().Count().ShouldBeGreaterThan(6);

        var marten = app.Store.Options.Serializer();
        foreach (var e in events)
        {
            var body = Encoding.UTF8.GetString(copy.Body(e));
            body.ShouldBe(marten.ToJson(e), e.Type);
            JsonNode.Parse(body)!.AsObject().ContainsKey("type").ShouldBeFalse(e.Type);
        }
    }
}
