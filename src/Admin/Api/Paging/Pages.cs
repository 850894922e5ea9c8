namespace Odock.Admin.Api.Paging;

/// <summary>Builds pages with the cursor contract of <see cref="PageRequest"/>.</summary>
internal static class Pages
{
    /// <summary>
    /// Pages a list that is small by nature (an organisation's teams, models or providers) in memory, with the same
    /// cursor contract as the lists paged in the database.
    /// </summary>
    public static Page<T> Of<T>(IEnumerable<T> items, PageRequest request, Func<T, string> sortValue, Func<T, Guid> id)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sortValue);
        ArgumentNullException.ThrowIfNull(id);
        var ordered = request.Descending
            ? items.OrderByDescending(sortValue, StringComparer.Ordinal).ThenByDescending(id)
            : items.OrderBy(sortValue, StringComparer.Ordinal).ThenBy(id);
        var after = request.After;
        var rest = after is null
            ? ordered
            : ordered.Where(item => Position(sortValue(item), id(item), after.SortValue, after.Id) * (request.Descending ? -1 : 1) > 0);
        var page = rest.Take(request.Limit + 1).ToArray();
        return FromProbe(page, request, sortValue, id);
    }

    /// <summary>Builds the page from a read of <c>limit + 1</c> rows: the extra row only says whether another page exists.</summary>
    public static Page<T> FromProbe<T>(IReadOnlyList<T> probe, PageRequest request, Func<T, string> sortValue, Func<T, Guid> id)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sortValue);
        ArgumentNullException.ThrowIfNull(id);
        if (probe.Count <= request.Limit)
        {
            return new Page<T>(probe, null);
        }

        var data = probe.Take(request.Limit).ToArray();
        var last = data[^1];
        return new Page<T>(data, request.CursorAfter(sortValue(last), id(last)));
    }

    private static int Position(string value, Guid itemId, string afterValue, Guid afterId)
    {
        var byValue = string.CompareOrdinal(value, afterValue);
        return byValue != 0 ? byValue : itemId.CompareTo(afterId);
    }
}
