using Normalization.Domain.Catalog;

namespace Normalization.Domain.Tests.Evolution;

/// <summary>
/// The names a type is stored under, for the stores that keep a type name beside the event (the API's domain-order index):
/// a renamed type's old name reads as its current one, and a filter by the current name includes the old one.
/// </summary>
public sealed class EventUpcasterNamesTests
{
    [Fact]
    public void Given_the_v1_rename_When_the_old_name_is_read_Then_it_is_the_current_name()
    {
        EventUpcasters.CurrentName("OfficeRequestMade").ShouldBe(nameof(OfficeRequested));
        EventUpcasters.CurrentName(nameof(TalksHeld)).ShouldBe(nameof(TalksHeld));
    }

    [Fact]
    public void Given_every_upcaster_When_the_stored_names_of_its_target_are_listed_Then_they_hold_the_current_and_each_old_name()
    {
        foreach (var u in EventUpcasters.All)
        {
            var target = EventUpcasters.CurrentName(u.OldName);
            EventCatalog.Names.ShouldContain(target);
            EventUpcasters.StoredNamesOf(target).ShouldContain(u.OldName);
            EventUpcasters.StoredNamesOf(target)[0].ShouldBe(target);
        }
        EventUpcasters.StoredNamesOf(nameof(RecordReviewed)).ShouldBe([nameof(RecordReviewed)]);
    }
}
