using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Odock.Storage.Connections;

namespace Odock.Storage.Ledger;

public static class LedgerServiceCollectionExtensions
{
    /// <summary>
    /// The usage ledger writer as a hosted service, once however many roles ask for it. Needs an
    /// <see cref="IDbConnectionFactory"/>; uses a registered <see cref="LedgerOptions"/> or the defaults.
    /// </summary>
    public static IServiceCollection AddOdockUsageLedger(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(new LedgerOptions());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new LedgerWriter(
            sp.GetRequiredService<IDbConnectionFactory>(),
            sp.GetRequiredService<LedgerOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<LedgerWriter>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, LedgerWriter>(sp => sp.GetRequiredService<LedgerWriter>()));
        return services;
    }
}
