using Odock.Domain.Providers;

namespace Odock.Admin.Api.Providers;

/// <summary>Create (organisation, name and type required) or partial update (type and organisation cannot change).</summary>
internal sealed record ProviderRequest(Guid? OrganisationId, string? Name, ProviderType? Type, string? BaseUrl, IReadOnlyDictionary<string, string>? Settings, bool? Enabled);
