namespace Odock.Admin.Api.Teams;

/// <summary>Create (organisation and name required) or partial update (the organisation cannot change).</summary>
internal sealed record TeamRequest(Guid? OrganisationId, string? Name, string? Description);
