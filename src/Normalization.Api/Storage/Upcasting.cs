using Marten;

namespace Normalization.Api.Storage;

/// <summary>
/// Schema evolution. Events are facts that stay readable forever: a stored shape is never rewritten;
/// an upcaster turns an old shape into the current one when it is read (docs/architecture.md, "Evolution").
/// </summary>
public static class Upcasting
{
    public static void Register(StoreOptions opts)
    {
    }
}
