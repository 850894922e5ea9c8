using Odock.Domain.Pricing;
using Odock.Domain.Models;
using Odock.Domain.Policies;

namespace Odock.Admin.Api.Models;

/// <summary>Create (organisation, name, upstream slug and provider required) or partial update.</summary>
internal sealed record ModelRequest(
    Guid? OrganisationId, string? Name, string? UpstreamSlug, Guid? ProviderId, Guid? ProviderKeyId, ModelType? Type,
    IReadOnlyList<ModelCapability>? Capabilities, ModelPriceSchedule? Pricing, ResourcePolicy? Policies, bool? Enabled);
