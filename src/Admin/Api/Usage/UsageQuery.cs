using System.Globalization;
using Odock.Admin.Api.Errors;
using Odock.Admin.Api.Json;

namespace Odock.Admin.Api.Usage;

/// <summary>
/// The filters of a usage request, parsed once from the query string. <see cref="From"/> and <see cref="To"/> are
/// optional on the wire; <see cref="UsageService"/> fills them in (the last 30 days) before it scopes the filter.
/// </summary>
internal sealed record UsageQuery(
    DateTimeOffset? From, DateTimeOffset? To, Guid? OrganisationId, Guid? TeamId, Guid? UserId, Guid? ApiKeyId, Guid? ModelId, Guid? ProviderId,
    int? HttpStatus, bool? Succeeded)
{
    public static UsageQuery Parse(
        string? from, string? to, string? organisationId, string? teamId, string? userId, string? apiKeyId, string? model, string? providerId, string? status)
    {
        var (httpStatus, succeeded) = Status(status);
        return new UsageQuery(
            QueryValues.Instant(from, "from"), QueryValues.Instant(to, "to"), QueryValues.Id(organisationId, "organisation_id"), QueryValues.Id(teamId, "team_id"),
            QueryValues.Id(userId, "user_id"), QueryValues.Id(apiKeyId, "api_key_id"), QueryValues.Id(model, "model"), QueryValues.Id(providerId, "provider_id"),
            httpStatus, succeeded);
    }

    /// <summary><c>status</c> is an exact HTTP status (<c>429</c>) or an outcome: <c>succeeded</c> (below 400) or <c>failed</c>.</summary>
    private static (int? HttpStatus, bool? Succeeded) Status(string? text) => text switch
    {
        null or "" => (null, null),
        "succeeded" => (null, true),
        "failed" => (null, false),
        _ when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599 => (code, null),
        _ => throw ApiProblemException.Invalid("status", $"'{text}' is neither an HTTP status (100 to 599) nor one of: succeeded, failed"),
    };
}
