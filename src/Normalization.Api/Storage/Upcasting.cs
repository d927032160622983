using Marten;
using Marten.Services.Json.Transformations.SystemTextJson;
using Normalization.Domain.Catalog;

namespace Normalization.Api.Storage;

/// <summary>
/// Schema evolution. Events are facts that stay readable forever: a stored shape is never rewritten;
/// an upcaster turns an old shape into the current one when it is read (docs/architecture.md, "Evolution").
/// The upcasters themselves live in the domain (<see cref="EventUpcasters"/>) because our own reads of
/// mt_events take the raw JSON (<see cref="EventJson.Deserialize(string, string)"/>); here every old type
/// name is also registered with Marten, so Marten's reads (FetchStream, projections) see the current event.
/// </summary>
public static class Upcasting
{
    public static void Register(StoreOptions opts)
    {
        foreach (var u in EventUpcasters.All)
        {
            var oldName = u.OldName;
            var clrType = EventCatalog.TryGet(u.NewName, out var info) ? info.ClrType
                : throw new InvalidOperationException($"Upcaster {oldName} → {u.NewName}: no such catalog type.");
            opts.Events.Upcast(clrType, oldName,
                JsonTransformations.Upcast<object>(doc => EventJson.Deserialize(oldName, doc.RootElement.GetRawText())));
        }
    }
}
