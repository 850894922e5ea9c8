using System.Globalization;
using Odock.Admin.Api.Access;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Errors;
using Odock.Admin.Api.Paging;
using Odock.Admin.Api.Users;
using Odock.Storage.Repositories;
using Odock.Storage.Store;

namespace Odock.Admin.Api.Audit;

/// <summary>Reading the audit log: super admins everything, organisation admins their organisation's entries.</summary>
internal sealed class AuditService
{
    private readonly IOdockStore _store;

    public AuditService(IOdockStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    public async Task<Page<AuditEntryResponse>> ListAsync(AdminCall call, AuditFilter filter, PageRequest page)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(page);
        var principal = call.Principal;
        var organisation = filter.OrganisationId ?? principal.OrganisationId;
        if (organisation is { } id)
        {
            AccessRules.RequireOrganisationAdmin(principal, id, "read the audit log");
        }
        else
        {
            AccessRules.RequireSuperAdmin(principal, "read the audit log of every organisation");
        }

        (DateTimeOffset, Guid)? after = null;
        if (page.After is { } position)
        {
            after = DateTimeOffset.TryParse(position.SortValue, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
                ? (at, position.Id)
                : throw ApiProblemException.Invalid("cursor", "is not a cursor this list returned");
        }

        await using var session = await _store.OpenAsync(call.Cancellation).ConfigureAwait(false);
        var entries = await session.Audit.ListPageAsync(
            new AuditQuery
            {
                OrganisationId = organisation, TargetType = filter.TargetType, TargetId = filter.TargetId, Action = filter.Action, Actor = filter.Actor,
                From = filter.From, To = filter.To, After = after, Limit = page.Limit + 1,
            },
            call.Cancellation).ConfigureAwait(false);
        return Pages.FromProbe(entries.Select(AuditEntryResponse.Of).ToArray(), page, e => UserService.Instant(e.OccurredAt), e => e.Id);
    }
}
