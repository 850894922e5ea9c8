using Odock.Admin.Api.Access;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Errors;
using Odock.Domain.ApiKeys;
using Odock.Storage.Store;

namespace Odock.Admin.Api.Resources;

/// <summary>
/// The rules every organisation-owned resource shares: which organisation a listing or a creation is about, that a
/// resource never moves to another organisation, and that a resource keys are granted is not deleted under them.
/// </summary>
internal static class OrganisationScope
{
    /// <summary>The organisation asked for, else the caller's own; the caller must belong to it.</summary>
    public static Guid ForListing(AdminCall call, Guid? requested)
    {
        var organisation = requested ?? call.Principal.OrganisationId ?? throw ApiProblemException.Invalid("organisation_id", "is required for a super admin");
        AccessRules.RequireMember(call.Principal, organisation);
        return organisation;
    }

    /// <summary>The organisation a new resource goes to: the one asked for, else the caller's own.</summary>
    public static Guid ForCreation(AdminCall call, Guid? requested) =>
        requested ?? call.Principal.OrganisationId ?? throw ApiProblemException.Invalid("organisation_id", "is required");

    public static void RefuseMove(Guid? requested, Guid current, string entity)
    {
        if (requested is { } moved && moved != current)
        {
            throw ApiProblemException.Invalid("organisation_id", $"{entity} cannot move to another organisation");
        }
    }

    public static async Task RequireExistsAsync(IStoreSession session, AdminCall call, Guid organisation)
    {
        if (await session.Organisations.GetAsync(organisation, call.Cancellation).ConfigureAwait(false) is null)
        {
            throw ApiProblemException.Invalid("organisation_id", $"no organisation with id {organisation}");
        }
    }

    /// <summary>Grants would cascade away silently; a resource keys may use is refused instead, naming them.</summary>
    public static void RefuseDeleteWhileGranted(string resource, IReadOnlyList<ApiKey> granted)
    {
        if (granted.Count > 0)
        {
            throw ApiProblemException.Conflict(
                $"{resource} is granted to API key(s) {string.Join(", ", granted.Take(3).Select(k => k.Name))}{(granted.Count > 3 ? ", …" : "")}; remove the grants first.");
        }
    }
}
