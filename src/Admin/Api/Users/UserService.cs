using Odock.Admin.Api.Access;
using Odock.Admin.Api.Audit;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Errors;
using Odock.Admin.Api.Paging;
using Odock.Admin.Security;
using Odock.Domain.Common;
using Odock.Domain.Users;
using Odock.Storage.Store;

namespace Odock.Admin.Api.Users;

/// <summary>
/// Users and what each role may do with them: organisation admins manage their organisation's users (never super
/// admins); managers see the members of their teams; everyone sees themselves and may change their own name and password.
/// </summary>
internal sealed class UserService
{
    private readonly IOdockStore _store;
    private readonly TimeProvider _time;
    private readonly AuditTrail _audit;

    public UserService(IOdockStore store, TimeProvider time, AuditTrail audit)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(audit);
        _store = store;
        _time = time;
        _audit = audit;
    }

    public async Task<Page<UserResponse>> ListAsync(AdminCall call, Guid? organisationId, PageRequest page)
    {
        ArgumentNullException.ThrowIfNull(call);
        var principal = call.Principal;
        var organisation = organisationId ?? principal.OrganisationId;
        if (organisation is { } id)
        {
            AccessRules.RequireMember(principal, id);
        }

        await using var session = await _store.OpenAsync(call.Cancellation).ConfigureAwait(false);
        var users = await session.Users.ListAsync(organisation, call.Cancellation).ConfigureAwait(false);
        IEnumerable<User> visible = users;
        if (principal.Role == UserRole.Manager)
        {
            var members = new HashSet<Guid> { principal.UserId };
            foreach (var team in principal.TeamIds)
            {
                members.UnionWith(await session.Teams.ListMembersAsync(team, call.Cancellation).ConfigureAwait(false));
            }

            visible = users.Where(u => members.Contains(u.Id));
        }
        else if (principal.Role == UserRole.User)
        {
            visible = users.Where(u => u.Id == principal.UserId);
        }

        return Pages.Of(visible.Select(UserResponse.Of), page, u => page.Sort == "created_at" ? Instant(u.CreatedAt) : u.Email, u => u.Id);
    }

    public async Task<UserResponse> GetAsync(AdminCall call, Guid id)
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var session = await _store.OpenAsync(call.Cancellation).ConfigureAwait(false);
        var user = await ReadableAsync(session, call, id).ConfigureAwait(false);
        return UserResponse.Of(user);
    }

    public async Task<UserResponse> CreateAsync(AdminCall call, CreateUserRequest request)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        var principal = call.Principal;
        var email = request.Email is null ? null : User.NormaliseEmail(request.Email);
        var validator = new Validator().Email("email", email);
        if (request.Role is null)
        {
            validator.Add("role", $"is required (one of: {WireName.Choices<UserRole>()})");
        }

        CheckPassword(validator, request.Password);
        if (!validator.IsValid)
        {
            throw ApiProblemException.Invalid(validator.Problems);
        }

        if (request.Role == UserRole.SuperAdmin)
        {
            AccessRules.RequireSuperAdmin(principal, "create a super admin");
            if (request.OrganisationId is not null)
            {
                // A super admin belongs to no organisation: taking the field and dropping it would hide a mistaken role.
                throw ApiProblemException.Invalid("organisation_id", "must be left out for a super_admin, who belongs to no organisation");
            }
        }
        else if (request.OrganisationId is not { } organisation)
        {
            throw ApiProblemException.Invalid("organisation_id", "is required for every role except super_admin");
        }
        else
        {
            AccessRules.RequireOrganisationAdmin(principal, organisation, "create users");
        }

        var user = new User
        {
            Id = Guid.NewGuid(), OrganisationId = request.Role == UserRole.SuperAdmin ? null : request.OrganisationId, Email = email!,
            DisplayName = request.DisplayName, Role = request.Role!.Value, PasswordHash = request.Password is null ? null : PasswordHashing.Hash(request.Password),
            CreatedAt = _time.GetUtcNow(),
        };
        await using var session = await _store.BeginTransactionAsync(call.Cancellation).ConfigureAwait(false);
        if (user.OrganisationId is { } org && await session.Organisations.GetAsync(org, call.Cancellation).ConfigureAwait(false) is null)
        {
            throw ApiProblemException.Invalid("organisation_id", $"no organisation with id {org}");
        }

        if (await session.Users.FindByEmailAsync(user.Email, call.Cancellation).ConfigureAwait(false) is not null)
        {
            throw ApiProblemException.Conflict($"A user with the email '{user.Email}' already exists.");
        }

        await session.Users.InsertAsync(user, call.Cancellation).ConfigureAwait(false);
        var response = UserResponse.Of(user);
        await _audit.RecordAsync(session, call, user.OrganisationId, "user.created", "user", user.Id, null, response).ConfigureAwait(false);
        await session.CommitAsync(call.Cancellation).ConfigureAwait(false);
        return response;
    }

    public async Task<UserResponse> UpdateAsync(AdminCall call, Guid id, UpdateUserRequest request)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        var principal = call.Principal;
        await using var session = await _store.BeginTransactionAsync(call.Cancellation).ConfigureAwait(false);
        var user = await ReadableAsync(session, call, id).ConfigureAwait(false);
        var self = user.Id == principal.UserId;
        var administers = principal.IsSuperAdmin || (AccessRules.IsOrganisationAdmin(principal) && user.Role != UserRole.SuperAdmin);
        if (!administers && !(self && request.Role is null && request.Status is null))
        {
            throw ApiProblemException.Forbidden(self
                ? "You may change your own display name and password, not your role or status."
                : "Only an organisation admin may change other users.");
        }

        if (request.Role == UserRole.SuperAdmin && !principal.IsSuperAdmin)
        {
            throw ApiProblemException.Forbidden("Only a super admin may grant the super_admin role.");
        }

        if (request.Role is { } role && (role == UserRole.SuperAdmin) != (user.Role == UserRole.SuperAdmin))
        {
            throw ApiProblemException.Invalid("role", "a super admin belongs to no organisation, so the role cannot move between super_admin and an organisation role");
        }

        var validator = new Validator().MaxLength("display_name", request.DisplayName, 200);
        CheckPassword(validator, request.Password);
        if (!validator.IsValid)
        {
            throw ApiProblemException.Invalid(validator.Problems);
        }

        var updated = user with
        {
            DisplayName = request.DisplayName ?? user.DisplayName,
            Role = request.Role ?? user.Role,
            Status = request.Status ?? user.Status,
            PasswordHash = request.Password is null ? user.PasswordHash : PasswordHashing.Hash(request.Password),
            FailedSignIns = request.Password is null ? user.FailedSignIns : 0,
            LockedUntil = request.Password is null ? user.LockedUntil : null,
        };
        await session.Users.UpdateAsync(updated, call.Cancellation).ConfigureAwait(false);
        var response = UserResponse.Of(updated);
        await _audit.RecordAsync(session, call, user.OrganisationId, "user.updated", "user", user.Id, UserResponse.Of(user), response).ConfigureAwait(false);
        await session.CommitAsync(call.Cancellation).ConfigureAwait(false);
        return response;
    }

    public async Task DeleteAsync(AdminCall call, Guid id)
    {
        ArgumentNullException.ThrowIfNull(call);
        var principal = call.Principal;
        await using var session = await _store.BeginTransactionAsync(call.Cancellation).ConfigureAwait(false);
        var user = await ReadableAsync(session, call, id).ConfigureAwait(false);
        if (user.Role == UserRole.SuperAdmin)
        {
            AccessRules.RequireSuperAdmin(principal, "delete a super admin");
        }
        else
        {
            AccessRules.RequireOrganisationAdmin(principal, user.OrganisationId!.Value, "delete users");
        }

        if (user.Id == principal.UserId)
        {
            throw ApiProblemException.Conflict("You cannot delete your own account.");
        }

        await session.Users.DeleteAsync(id, call.Cancellation).ConfigureAwait(false);
        await _audit.RecordAsync(session, call, user.OrganisationId, "user.deleted", "user", id, UserResponse.Of(user), null).ConfigureAwait(false);
        await session.CommitAsync(call.Cancellation).ConfigureAwait(false);
    }

    private static async Task<User> ReadableAsync(IStoreSession session, AdminCall call, Guid id)
    {
        var principal = call.Principal;
        var user = await session.Users.GetAsync(id, call.Cancellation).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("user", id);
        if (principal.IsSuperAdmin || user.Id == principal.UserId)
        {
            return user;
        }

        if (user.OrganisationId is not { } organisation)
        {
            throw ApiProblemException.NotFound("user", id);
        }

        AccessRules.RequireSameOrganisation(principal, organisation, "user", id);
        if (AccessRules.IsOrganisationAdmin(principal))
        {
            return user;
        }

        if (principal.Role == UserRole.Manager)
        {
            var theirTeams = await session.Teams.ListTeamsOfUserAsync(user.Id, call.Cancellation).ConfigureAwait(false);
            if (theirTeams.Any(principal.TeamIds.Contains))
            {
                return user;
            }
        }

        throw ApiProblemException.Forbidden("You may only see yourself and the members of teams you manage.");
    }

    private static void CheckPassword(Validator validator, string? password)
    {
        if (password is not null && (password.Length < PasswordHashing.MinimumLength || password.Length > 1024))
        {
            validator.Add("password", $"must be {PasswordHashing.MinimumLength} to 1024 characters");
        }
    }

    internal static string Instant(DateTimeOffset value) => value.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}
