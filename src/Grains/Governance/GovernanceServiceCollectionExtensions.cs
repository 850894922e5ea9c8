using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Odock.Cluster;
using Odock.Grains.ApiKeys;
using Odock.Grains.Budgets;
using Odock.Grains.Catalog;
using Odock.Grains.Limits;
using Odock.Grains.Quotas;

namespace Odock.Grains.Governance;

public static class GovernanceServiceCollectionExtensions
{
    /// <summary>
    /// Registers the governance grains and their contracts, and <see cref="GovernanceClient"/> for callers. Silos
    /// need an <see cref="Odock.Storage.Store.IOdockStore"/> registered; clients only call.
    /// </summary>
    public static IServiceCollection AddOdockGovernance(this IServiceCollection services)
    {
        services.AddGrain<IApiKeyGrain, ApiKeyGrain>();
        services.AddGrain<IClientGuardGrain, ClientGuardGrain>();
        services.AddGrain<IModelLimitGrain, ModelLimitGrain>();
        services.AddGrain<IBudgetGrain, BudgetGrain>();
        services.AddGrain<IQuotaGrain, QuotaGrain>();
        services.AddGrain<IOrgCatalogGrain, OrgCatalogGrain>();
        services.AddGrainSerialization(GovernanceJsonContext.Default);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<KeyUseRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<KeyUseRecorder>());
        services.TryAddSingleton(sp => new GovernanceClient(sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
