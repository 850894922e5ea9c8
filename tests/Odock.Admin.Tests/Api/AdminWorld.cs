using System.Net.Http.Headers;
using Odock.Admin.Security;
using Odock.Domain.Common;
using Odock.Domain.Organisations;
using Odock.Domain.Users;
using Odock.Storage.Store;

namespace Odock.Admin.Tests.Api;

/// <summary>
/// Two organisations with one user of every role, each with a personal API token: acme (admin, a manager and a user in
/// the support team, and a research team the manager is not in) and globex (admin, ops team), plus a super admin.
/// </summary>
internal sealed class AdminWorld
{
    public const string SuperPassword = "correct-horse-battery-staple";

    private static readonly DateTimeOffset CreatedAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);

    public required Organisation Acme { get; init; }

    public required Organisation Globex { get; init; }

    public required Team Support { get; init; }

    public required Team Research { get; init; }

    public required Team Ops { get; init; }

    public required User Super { get; init; }

    public required User AcmeAdmin { get; init; }

    public required User Manager { get; init; }

    public required User Dana { get; init; }

    public required User GlobexAdmin { get; init; }

    public string TokenOf(User user) => _tokens[user.Email];

    public AuthenticationHeaderValue BearerOf(User user) => new("Bearer", TokenOf(user));

    public static async Task<AdminWorld> SeedAsync(IOdockStore store)
    {
        var acme = new Organisation { Id = Guid.NewGuid(), Name = "acme", CreatedAt = CreatedAt };
        var globex = new Organisation { Id = Guid.NewGuid(), Name = "globex", CreatedAt = CreatedAt };
        var world = new AdminWorld
        {
            Acme = acme,
            Globex = globex,
            Support = new Team { Id = Guid.NewGuid(), OrganisationId = acme.Id, Name = "support", CreatedAt = CreatedAt },
            Research = new Team { Id = Guid.NewGuid(), OrganisationId = acme.Id, Name = "research", CreatedAt = CreatedAt },
            Ops = new Team { Id = Guid.NewGuid(), OrganisationId = globex.Id, Name = "ops", CreatedAt = CreatedAt },
            Super = NewUser("root@odock.test", UserRole.SuperAdmin, null, PasswordHashing.Hash(SuperPassword)),
            AcmeAdmin = NewUser("admin@acme.test", UserRole.OrganisationAdmin, acme.Id),
            Manager = NewUser("manager@acme.test", UserRole.Manager, acme.Id),
            Dana = NewUser("dana@acme.test", UserRole.User, acme.Id),
            GlobexAdmin = NewUser("admin@globex.test", UserRole.OrganisationAdmin, globex.Id),
        };
        await using var session = await store.OpenAsync();
        await session.Organisations.InsertAsync(acme);
        await session.Organisations.InsertAsync(globex);
        foreach (var team in new[] { world.Support, world.Research, world.Ops })
        {
            await session.Teams.InsertAsync(team);
        }

        foreach (var user in new[] { world.Super, world.AcmeAdmin, world.Manager, world.Dana, world.GlobexAdmin })
        {
            await session.Users.InsertAsync(user);
            var secret = SecretToken.Generate(AdminToken.SecretPrefix);
            await session.AdminTokens.InsertAsync(new AdminToken
            {
                Id = Guid.NewGuid(), UserId = user.Id, Name = "test", Prefix = SecretToken.DisplayPrefix(secret, AdminToken.SecretPrefix),
                Hash = SecretToken.Hash(secret), CreatedAt = CreatedAt,
            });
            world._tokens[user.Email] = secret;
        }

        await session.Teams.AddMemberAsync(world.Support.Id, world.Manager.Id);
        await session.Teams.AddMemberAsync(world.Support.Id, world.Dana.Id);
        return world;
    }

    private static User NewUser(string email, UserRole role, Guid? organisation, string? passwordHash = null) => new()
    {
        Id = Guid.NewGuid(), Email = email, Role = role, OrganisationId = organisation, PasswordHash = passwordHash, CreatedAt = CreatedAt,
    };
}
