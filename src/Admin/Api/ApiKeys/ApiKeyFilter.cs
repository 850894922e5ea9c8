using Odock.Domain.ApiKeys;

namespace Odock.Admin.Api.ApiKeys;

/// <summary>The filters of the key list, parsed from the query string.</summary>
internal sealed record ApiKeyFilter(Guid? OrganisationId, Guid? TeamId, Guid? UserId, ApiKeyStatus? Status, string? NamePrefix);
