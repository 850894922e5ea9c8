using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Odock.Admin.Api.Errors;
using Odock.Storage.Repositories;

namespace Odock.Admin.Api.Paging;

/// <summary>
/// The paging part of a list request, parsed once: an opaque cursor (where the previous page ended), a page size and
/// an order. Cursors are positions, not offsets, so pages stay consistent while rows are added and cost the same deep in.
/// </summary>
internal sealed record PageRequest(KeysetPosition? After, int Limit, string Sort, bool Descending)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static PageRequest Parse(string? cursor, string? limit, string? sort, string? order, params string[] sorts)
    {
        ArgumentNullException.ThrowIfNull(sorts);
        var size = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxLimit))
        {
            throw ApiProblemException.Invalid("limit", $"must be a whole number from 1 to {MaxLimit}");
        }

        var sortBy = sort ?? sorts[0];
        if (!sorts.Contains(sortBy, StringComparer.Ordinal))
        {
            throw ApiProblemException.Invalid("sort", $"'{sort}' is not one of: {string.Join(", ", sorts)}");
        }

        var descending = order switch
        {
            null or "asc" => false,
            "desc" => true,
            _ => throw ApiProblemException.Invalid("order", $"'{order}' is not one of: asc, desc"),
        };
        return new PageRequest(cursor is null ? null : Decode(cursor, sortBy, descending), size, sortBy, descending);
    }

    public string CursorAfter(string sortValue, Guid id) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join('\n', Sort, Descending ? "desc" : "asc", id.ToString("N"), sortValue)));

    private static KeysetPosition Decode(string cursor, string sort, bool descending)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('\n', 4);
            if (parts.Length == 4 && parts[0] == sort && parts[1] == (descending ? "desc" : "asc") && Guid.TryParseExact(parts[2], "N", out var id))
            {
                return new KeysetPosition(parts[3], id);
            }
        }
        catch (FormatException)
        {
        }

        throw ApiProblemException.Invalid("cursor", "is not a cursor this list returned for the same sort and order");
    }
}
