using System.Globalization;
using Odock.Admin.Api.Errors;
using Odock.Domain.Common;

namespace Odock.Admin.Api.Json;

/// <summary>Parses query-string filters once, at the edge, naming the parameter when a value is wrong.</summary>
internal static class QueryValues
{
    public static Guid? Id(string? text, string field) => text is null
        ? null
        : Guid.TryParse(text, CultureInfo.InvariantCulture, out var id) ? id : throw ApiProblemException.Invalid(field, $"'{text}' is not an id (a UUID)");

    public static TEnum? Choice<TEnum>(string? text, string field)
        where TEnum : struct, Enum => text is null
            ? null
            : WireName.TryParse<TEnum>(text, out var value) ? value : throw ApiProblemException.Invalid(field, $"'{text}' is not one of: {WireName.Choices<TEnum>()}");

    public static DateTimeOffset? Instant(string? text, string field) => text is null
        ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw ApiProblemException.Invalid(field, $"'{text}' is not an ISO 8601 instant (for example 2026-11-23T10:00:00Z)");

    public static string? Text(string? text, string field, int maxLength = 200) => text is { Length: > 0 } && text.Length > maxLength
        ? throw ApiProblemException.Invalid(field, $"must be at most {maxLength} characters")
        : text is { Length: 0 } ? null : text;
}
