using Marten;
using Marten.Services.Json.Transformations.SystemTextJson;
using Normalization.Domain.Catalog;

namespace Normalization.Api.Storage;

/// <summary>
/// Schema evolution. Events are facts that stay readable forever: a stored shape is never rewritten;
/// an upcaster turns an old shape into the current one when it is read (docs/architecture.md, "Evolution").
/// The upcasters themselves live in the domain (<see cref="EventUpcasters"/>), so history files in an old shape
/// are read by the same code (<see cref="EventJson.Deserialize(string, string)"/>); here every old type name is
/// registered with Marten, and every read of stored events goes through Marten (<see cref="RecordedEvents"/>), so
/// stored events are upcast in exactly one place.
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
