using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Odock.Storage.Connections;

namespace Odock.Storage.Reporting;

public static class UsageQueriesServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IUsageQueries"/> over the registered <see cref="IDbConnectionFactory"/>.</summary>
    public static IServiceCollection AddOdockUsageQueries(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IUsageQueries>(sp => new UsageQueries(sp.GetRequiredService<IDbConnectionFactory>()));
        return services;
    }
}
