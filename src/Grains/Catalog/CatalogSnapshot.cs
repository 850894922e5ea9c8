using Odock.Domain.Models;
using Odock.Domain.Policies;
using Odock.Domain.Pricing;
using Odock.Domain.Providers;

namespace Odock.Grains.Catalog;

/// <summary>
/// An organisation's models and providers as gateways cache them. <see cref="Version"/> differs after every change;
/// gateways compare it for inequality only. Provider keys are not part of it: they stay encrypted in storage.
/// </summary>
public sealed record CatalogSnapshot(Guid OrganisationId, long Version, CatalogModel[] Models, CatalogProvider[] Providers);

public sealed record CatalogModel(
    Guid Id,
    string Name,
    string UpstreamSlug,
    Guid ProviderId,
    Guid? ProviderKeyId,
    ModelType Type,
    string[] Capabilities,
    ModelPriceSchedule Pricing,
    ResourcePolicy Policies,
    bool Enabled);

public sealed record CatalogProvider(Guid Id, string Name, ProviderType Type, string? BaseUrl, Dictionary<string, string> Settings, bool Enabled);
