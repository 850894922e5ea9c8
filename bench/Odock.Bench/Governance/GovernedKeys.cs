using Odock.Domain.ApiKeys;
using Odock.Domain.Budgets;
using Odock.Domain.Common;
using Odock.Domain.Models;
using Odock.Domain.Periods;
using Odock.Domain.Policies;
using Odock.Storage.Store;
using Odock.Testing.Governance;

namespace Odock.Bench.Governance;

/// <summary>
/// An organisation with one team and one user, and many API keys of that user inserted in one transaction, with the
/// budgets and models <see cref="LimitSharing"/> asks for. Budgets are far too large to ever refuse.
/// </summary>
internal static class GovernedKeys
{
    private const decimal NeverReached = 1_000_000_000m;
    private static readonly DateTimeOffset CreatedAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <param name="sharing">Which budgets and models the keys have; null for no budgets and one model.</param>
    public static async Task<GovernedOrganisation> SeedAsync(IOdockStore store, int count, ResourcePolicy limits, LimitSharing? sharing)
    {
        ArgumentNullException.ThrowIfNull(store);
        var seed = await GovernanceSeed.CreateAsync(store);
        var shared = await seed.AddModelAsync("bench-model", ResourcePolicy.None);
        Guid? organisationBudget = null;
        if (sharing == LimitSharing.Shared)
        {
            organisationBudget = (await seed.AddBudgetAsync(LimitScope.Organisation, seed.Organisation.Id, NeverReached, "org-monthly")).Id;
            await seed.AddBudgetAsync(LimitScope.Team, seed.Team.Id, NeverReached, "team-monthly");
        }

        var keys = new GovernedKey[count];
        await using var session = await store.BeginTransactionAsync();
        for (var i = 0; i < count; i++)
        {
            var secret = SecretToken.Generate(ApiKey.SecretPrefix);
            var key = new ApiKey
            {
                Id = Guid.NewGuid(), OrganisationId = seed.Organisation.Id, Name = $"bench-{i}", Prefix = SecretToken.DisplayPrefix(secret, ApiKey.SecretPrefix),
                Hash = SecretToken.Hash(secret), Scope = ApiKeyScope.User, TeamId = seed.Team.Id, UserId = seed.User.Id, Limits = limits, CreatedAt = CreatedAt,
            };
            await session.ApiKeys.InsertAsync(key);
            var model = shared.Id;
            if (sharing is { } shape)
            {
                foreach (var period in shape == LimitSharing.Shared ? [PeriodKind.Monthly] : new[] { PeriodKind.Monthly, PeriodKind.Weekly, PeriodKind.Daily })
                {
                    await session.Budgets.InsertAsync(new Budget
                    {
                        Id = Guid.NewGuid(), OrganisationId = seed.Organisation.Id, Name = $"key-{i}-{period}".ToLowerInvariant(), Scope = LimitScope.ApiKey, TargetId = key.Id,
                        Amount = NeverReached, Currency = "USD", Period = new Period(period), CreatedAt = CreatedAt,
                    });
                }

                if (shape == LimitSharing.Own)
                {
                    model = Guid.NewGuid();
                    await session.Models.InsertAsync(new Model
                    {
                        Id = model, OrganisationId = seed.Organisation.Id, Name = $"bench-model-{i}", UpstreamSlug = "bench-model", ProviderId = seed.Provider.Id, CreatedAt = CreatedAt,
                    });
                }
            }

            keys[i] = new GovernedKey(secret, model);
        }

        await session.CommitAsync();
        return new GovernedOrganisation(keys, organisationBudget);
    }
}
