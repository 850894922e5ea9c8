using Odock.Domain.Pricing;
using Odock.Domain.Models;
using Odock.Domain.Policies;

namespace Odock.Admin.Api.Models;

internal sealed record ModelResponse(
    Guid Id, Guid OrganisationId, string Name, string UpstreamSlug, Guid ProviderId, Guid? ProviderKeyId, ModelType Type,
    IReadOnlyList<ModelCapability> Capabilities, ModelPriceSchedule Pricing, ResourcePolicy Policies, bool Enabled, DateTimeOffset CreatedAt)
{
    public static ModelResponse Of(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new ModelResponse(model.Id, model.OrganisationId, model.Name, model.UpstreamSlug, model.ProviderId, model.ProviderKeyId, model.Type,
            model.Capabilities.OrderBy(c => Domain.Common.WireName.Of(c), StringComparer.Ordinal).ToArray(), model.Pricing, model.Policies, model.Enabled, model.CreatedAt);
    }
}
