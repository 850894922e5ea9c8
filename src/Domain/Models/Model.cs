using Odock.Domain.Common;
using Odock.Domain.Policies;
using Odock.Domain.Pricing;

namespace Odock.Domain.Models;

/// <summary>
/// An organisation's model record: clients send <see cref="Name"/>; the gateway sends <see cref="UpstreamSlug"/> to
/// <see cref="ProviderId"/> with <see cref="ProviderKeyId"/>, prices the call with the entry of <see cref="Pricing"/> in
/// effect when it happens and applies <see cref="Policies"/>. Renaming the slug or moving the provider never changes
/// client code.
/// </summary>
public sealed record Model : IValidatable
{
    public required Guid Id { get; init; }

    public required Guid OrganisationId { get; init; }

    /// <summary>The Odock model name, unique within the organisation.</summary>
    public required string Name { get; init; }

    public required string UpstreamSlug { get; init; }

    public required Guid ProviderId { get; init; }

    /// <summary>The credential to use; null means the provider's only key.</summary>
    public Guid? ProviderKeyId { get; init; }

    public ModelType Type { get; init; } = ModelType.Chat;

    public IReadOnlySet<ModelCapability> Capabilities { get; init; } = new HashSet<ModelCapability>();

    public ModelPriceSchedule Pricing { get; init; } = ModelPriceSchedule.Free;

    public ResourcePolicy Policies { get; init; } = ResourcePolicy.None;

    public bool Enabled { get; init; } = true;

    public required DateTimeOffset CreatedAt { get; init; }

    public bool Has(ModelCapability capability) => Capabilities.Contains(capability);

    public IReadOnlyList<ValidationProblem> Validate() => new Validator()
        .NotEmpty("id", Id)
        .NotEmpty("organisation_id", OrganisationId)
        .ModelName("name", Name)
        .Required("slug", UpstreamSlug, 200)
        .NotEmpty("provider_id", ProviderId)
        .AddRange("pricing", Pricing.Validate())
        .AddRange("policies", Policies.Validate())
        .Problems;
}
