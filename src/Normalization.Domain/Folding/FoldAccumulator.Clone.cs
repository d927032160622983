using System.Collections;
using System.Reflection;

namespace Normalization.Domain.Folding;

public sealed partial class FoldAccumulator
{
    // Every List<T> / Dictionary<K,V> property, found once: a field added later is copied without touching this file.
    static readonly PropertyInfo[] CollectionProperties = typeof(FoldAccumulator)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite && p.PropertyType.IsGenericType
                    && (p.PropertyType.GetGenericTypeDefinition() == typeof(List<>) || p.PropertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>)))
        .ToArray();

    /// <summary>
    /// An independent copy to continue folding from, leaving this accumulator as it was: every list and dictionary is
    /// copied, their entries (immutable records: the ledger entries, stage transitions, momentum points) are shared.
    /// Costs a copy of the references the state holds (microseconds), not a serialization — the store keeps the head of a
    /// negotiation in memory and folds an append into a clone, so a failed write never leaves a half-applied head behind.
    /// </summary>
    public FoldAccumulator Clone()
    {
        var copy = (FoldAccumulator)MemberwiseClone();
        foreach (var p in CollectionProperties)
            if (p.GetValue(this) is IEnumerable value) p.SetValue(copy, Activator.CreateInstance(p.PropertyType, value));
        return copy;
    }
}
