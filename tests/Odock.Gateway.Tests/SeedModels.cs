using Odock.Domain.Models;
using Odock.Domain.Policies;
using Odock.Domain.Providers;
using Odock.Testing.Governance;

namespace Odock.Gateway.Tests;

/// <summary>Models of a given type (embeddings, image...) for the seeded organisation.</summary>
internal static class SeedModels
{
    public static async Task<Model> AddTypedModelAsync(this GovernanceSeed seed, string name, ModelType type, Provider provider, string upstreamSlug, ModelPricing pricing, ResourcePolicy? policies = null)
    {
        var model = new Model
        {
            Id = Guid.NewGuid(), OrganisationId = seed.Organisation.Id, Name = name, UpstreamSlug = upstreamSlug, ProviderId = provider.Id, Type = type,
            Pricing = pricing, Policies = policies ?? ResourcePolicy.None, CreatedAt = DateTimeOffset.UtcNow,
        };
        await using var session = await seed.Store.OpenAsync();
        await session.Models.InsertAsync(model);
        return model;
    }
}
