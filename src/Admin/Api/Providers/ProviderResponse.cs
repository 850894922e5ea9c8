using Odock.Domain.Providers;

namespace Odock.Admin.Api.Providers;

internal sealed record ProviderResponse(Guid Id, Guid OrganisationId, string Name, ProviderType Type, string? BaseUrl, IReadOnlyDictionary<string, string> Settings, bool Enabled, DateTimeOffset CreatedAt)
{
    public static ProviderResponse Of(Provider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return new ProviderResponse(provider.Id, provider.OrganisationId, provider.Name, provider.Type, provider.BaseUrl, provider.Settings, provider.Enabled, provider.CreatedAt);
    }
}
