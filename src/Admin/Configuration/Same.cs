namespace Odock.Admin.Configuration;

/// <summary>Value comparison for the collections inside entities, which records compare by reference.</summary>
internal static class Same
{
    public static bool Map<TValue>(IReadOnlyDictionary<string, TValue> left, IReadOnlyDictionary<string, TValue> right) =>
        left.Count == right.Count && left.All(pair => right.TryGetValue(pair.Key, out var value) && EqualityComparer<TValue>.Default.Equals(pair.Value, value));

    public static bool Set<T>(IEnumerable<T> left, IEnumerable<T> right) => left.ToHashSet().SetEquals(right);
}
