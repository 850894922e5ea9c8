using System.Text.Json.Serialization;

namespace Odock.Domain.Models;

/// <summary>
/// Calls a provider made to its own tools while answering one request (OpenAI's web search, file search and code
/// interpreter, Anthropic's web search and web fetch, Gemini's Google Search), counted by the tool's name without its
/// version (<c>web_search</c>, not <c>web_search_20250305</c>). Providers charge for these calls on top of tokens, so
/// they are priced per call (<see cref="ModelPricing.HostedToolPrices"/>). Immutable, compared by content; a name is
/// listed only with a count above zero.
/// </summary>
[JsonConverter(typeof(HostedToolCallsJsonConverter))]
public sealed class HostedToolCalls : IEquatable<HostedToolCalls>
{
    private readonly KeyValuePair<string, long>[] _counts;

    private HostedToolCalls(KeyValuePair<string, long>[] counts)
    {
        _counts = counts;
        foreach (var (_, count) in counts)
        {
            Total = count > long.MaxValue - Total ? long.MaxValue : Total + count;
        }
    }

    /// <summary>Every call, whatever the tool.</summary>
    public long Total { get; }

    /// <summary>Each tool's calls, by name in ordinal order.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Counts => _counts;

    /// <summary>The calls of <paramref name="name"/>; zero when it made none.</summary>
    public long this[string name]
    {
        get
        {
            foreach (var (tool, count) in _counts)
            {
                if (string.Equals(tool, name, StringComparison.Ordinal))
                {
                    return count;
                }
            }

            return 0;
        }
    }

    /// <summary>The counts given, a tool named twice counted once with both; null when no count is above zero.</summary>
    public static HostedToolCalls? Of(IEnumerable<KeyValuePair<string, long>> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var merged = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, count) in counts)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            if (count > 0)
            {
                merged[name] = merged.TryGetValue(name, out var earlier) && count > long.MaxValue - earlier ? long.MaxValue : earlier + count;
            }
        }

        return merged.Count == 0 ? null : new HostedToolCalls([.. merged]);
    }

    /// <summary><paramref name="count"/> calls of <paramref name="name"/>; null when <paramref name="count"/> is not above zero.</summary>
    /// <remarks>Nothing is allocated for no calls: most answers (every Gemini answer without grounding) made none.</remarks>
    public static HostedToolCalls? Of(string name, long count)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return count > 0 ? new HostedToolCalls([new KeyValuePair<string, long>(name, count)]) : null;
    }

    public bool Equals(HostedToolCalls? other)
    {
        if (other is null || other._counts.Length != _counts.Length)
        {
            return false;
        }

        for (var i = 0; i < _counts.Length; i++)
        {
            if (!string.Equals(_counts[i].Key, other._counts[i].Key, StringComparison.Ordinal) || _counts[i].Value != other._counts[i].Value)
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is HostedToolCalls other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_counts.Length, Total);

    public override string ToString() => string.Join(", ", _counts.Select(pair => $"{pair.Key}: {pair.Value}"));
}
