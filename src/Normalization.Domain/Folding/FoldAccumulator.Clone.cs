using System.Linq.Expressions;
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

    // One compiled copier for all of them: copy.P = new T(source.P) per property (null stays null). Built once from the
    // reflected list above; reflection per clone (Activator.CreateInstance with arguments) cost more than the copying.
    static readonly Action<FoldAccumulator, FoldAccumulator> CopyCollections = BuildCopier();

    static Action<FoldAccumulator, FoldAccumulator> BuildCopier()
    {
        var source = Expression.Parameter(typeof(FoldAccumulator), "source");
        var copy = Expression.Parameter(typeof(FoldAccumulator), "copy");
        var body = CollectionProperties.Select(p =>
        {
            var value = Expression.Property(source, p);
            var argument = p.PropertyType.GetGenericTypeDefinition() == typeof(List<>)
                ? typeof(IEnumerable<>).MakeGenericType(p.PropertyType.GetGenericArguments())
                : typeof(IDictionary<,>).MakeGenericType(p.PropertyType.GetGenericArguments());
            var constructor = p.PropertyType.GetConstructor([argument])
                ?? throw new InvalidOperationException($"{p.PropertyType} has no copy constructor.");
            return (Expression)Expression.Assign(Expression.Property(copy, p),
                Expression.Condition(Expression.Equal(value, Expression.Constant(null, p.PropertyType)), Expression.Constant(null, p.PropertyType),
                    Expression.New(constructor, value)));
        });
        return Expression.Lambda<Action<FoldAccumulator, FoldAccumulator>>(Expression.Block(body.Append(Expression.Empty())), source, copy).Compile();
    }

    /// <summary>
    /// An independent copy to continue folding from, leaving this accumulator as it was: every list and dictionary is
    /// copied, their entries (immutable records: the ledger entries, stage transitions, momentum points) are shared.
    /// Costs a copy of the references the state holds (microseconds), not a serialization — the store keeps the head of a
    /// negotiation in memory and folds an append into a clone, so a failed write never leaves a half-applied head behind.
    /// </summary>
    public FoldAccumulator Clone()
    {
        var copy = (FoldAccumulator)MemberwiseClone();
        CopyCollections(this, copy);
        return copy;
    }
}
