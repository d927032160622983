using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;

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
}
