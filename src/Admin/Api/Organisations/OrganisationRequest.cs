namespace Odock.Admin.Api.Organisations;

/// <summary>Create (name required) or partial update (fields left out keep their value).</summary>
internal sealed record OrganisationRequest(string? Name, string? DisplayName, bool? Enabled);
