using Odock.Domain.Organisations;

namespace Odock.Admin.Api.Organisations;

internal sealed record OrganisationResponse(Guid Id, string Name, string? DisplayName, bool Enabled, DateTimeOffset CreatedAt)
{
    public static OrganisationResponse Of(Organisation organisation)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        return new OrganisationResponse(organisation.Id, organisation.Name, organisation.DisplayName, organisation.Enabled, organisation.CreatedAt);
    }
}
