using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Odock.Cluster.Activation;
using Odock.Cluster.Hosting;
using Odock.Cluster.Membership;
using Odock.Cluster.Placement;
using Odock.Cluster.Registry;
using Odock.Cluster.Runtime;
using Odock.Cluster.Storage;
using Odock.Cluster.Transport;

namespace Odock.Cluster;

/// <summary>
/// Wires the grain runtime in one of three shapes: local (one process on SQLite, every partition, in-process calls),
/// silo (hosts grains in a PostgreSQL-backed cluster, and calls any grain), or client (a gateway that only calls).
/// Each needs an <see cref="Odock.Storage.Connections.IDbConnectionFactory"/> registered.
/// </summary>
public static class ClusterServiceCollectionExtensions
{
    /// <summary>Registers a grain interface and its implementation (both are needed on silos; clients only use the interface).</summary>
    public static IServiceCollection AddGrain<TInterface, TImplementation>(this IServiceCollection services)
        where TInterface : class, IGrainWithStringKey
        where TImplementation : Grain, TInterface
    {
        services.AddSingleton(new GrainRegistration(typeof(TInterface), typeof(TImplementation)));
        return services;
    }

    /// <summary>
    /// Adds the cluster's readiness check under <paramref name="name"/> with <paramref name="tags"/>: a process holding no
    /// grains is ready once a live silo serves partitions (<see cref="ClusterReadinessCheck"/>).
    /// </summary>
    public static IHealthChecksBuilder AddOdockClusterReadiness(this IHealthChecksBuilder builder, string name, params string[] tags)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<ClusterReadinessCheck>(name, tags: tags);
    }

    /// <summary>Adds the source-generated JSON contracts of grain arguments, results and state.</summary>
    public static IServiceCollection AddGrainSerialization(this IServiceCollection services, IJsonTypeInfoResolver resolver)
    {
        services.AddSingleton(new ResolverRegistration(resolver));
        return services;
    }

    public static IServiceCollection AddOdockLocalCluster(this IServiceCollection services, ClusterOptions options)
    {
        AddCommon(services, options);
        services.AddSingleton<IPartitionOwnership>(new LocalOwnership(options.PartitionCount));
        services.AddSingleton<IGrainStateStore, SqliteGrainStateStore>();
        services.AddSingleton<ActivationCatalog>();
        services.AddSingleton(sp => new GrainCallInvoker(
            sp.GetRequiredService<GrainRegistry>(), sp.GetRequiredService<ClusterSerializer>(), options, sp.GetRequiredService<ClusterMetrics>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ActivationCatalog>(), directory: null, transport: null, self: null));
        services.AddHostedService<IdleCollector>();
        services.AddHostedService(sp => new LocalShutdown(sp.GetRequiredService<ActivationCatalog>()));
        return services;
    }

    public static IServiceCollection AddOdockSilo(this IServiceCollection services, ClusterOptions options, SiloIdentity? identity = null)
    {
        AddCommon(services, options);
        services.AddSingleton(identity ?? SiloIdentity.CreateNew());
        services.AddSingleton<ClusterEndpointBinding>();
        services.AddSingleton<DatabasePartitionDirectory>();
        services.AddSingleton<IPartitionDirectory>(sp => sp.GetRequiredService<DatabasePartitionDirectory>());
        services.AddSingleton<HttpGrainTransport>();
        services.AddSingleton<IGrainStateStore, PostgresGrainStateStore>();
        services.AddSingleton<LeasedOwnership>();
        services.AddSingleton<IPartitionOwnership>(sp => sp.GetRequiredService<LeasedOwnership>());
        services.AddSingleton<LeaseManager>();
        services.AddSingleton<ActivationCatalog>();
        services.AddSingleton(sp => new GrainCallInvoker(
            sp.GetRequiredService<GrainRegistry>(), sp.GetRequiredService<ClusterSerializer>(), options, sp.GetRequiredService<ClusterMetrics>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ActivationCatalog>(), sp.GetRequiredService<IPartitionDirectory>(),
            sp.GetRequiredService<HttpGrainTransport>(), sp.GetRequiredService<SiloIdentity>()));
        services.AddHostedService(sp => new SiloLifetime(sp.GetRequiredService<LeaseManager>(), sp.GetRequiredService<IHostApplicationLifetime>()));
        services.AddHostedService<IdleCollector>();
        return services;
    }

    public static IServiceCollection AddOdockClusterClient(this IServiceCollection services, ClusterOptions options)
    {
        AddCommon(services, options);
        services.AddSingleton<DatabasePartitionDirectory>();
        services.AddSingleton<IPartitionDirectory>(sp => sp.GetRequiredService<DatabasePartitionDirectory>());
        services.AddSingleton<HttpGrainTransport>();
        services.AddSingleton(sp => new GrainCallInvoker(
            sp.GetRequiredService<GrainRegistry>(), sp.GetRequiredService<ClusterSerializer>(), options, sp.GetRequiredService<ClusterMetrics>(),
            sp.GetRequiredService<TimeProvider>(), catalog: null, sp.GetRequiredService<IPartitionDirectory>(), sp.GetRequiredService<HttpGrainTransport>(), self: null));
        services.AddHostedService<DirectoryRefresher>();
        return services;
    }

    private static void AddCommon(IServiceCollection services, ClusterOptions options)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton<ClusterMetrics>();
        services.AddSingleton(sp => new GrainRegistry(sp.GetServices<GrainRegistration>()));
        services.AddSingleton(sp => new ClusterSerializer(sp.GetServices<ResolverRegistration>().Select(r => r.Resolver)));
        services.AddSingleton<IGrainFactory>(sp => new GrainFactory(sp.GetRequiredService<GrainCallInvoker>()));
        services.AddSingleton<ClusterStatusReader>();
    }

    internal sealed record ResolverRegistration(IJsonTypeInfoResolver Resolver);

    /// <summary>Starts the lease loop once the web host has bound the cluster listener, and leaves gracefully on stop.</summary>
    private sealed class SiloLifetime(LeaseManager leases, IHostApplicationLifetime lifetime) : IHostedService
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStarted.Register(() => _ = StartLeasesAsync());
            return Task.CompletedTask;
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            if (_started.Task.IsCompletedSuccessfully)
            {
                await leases.StopAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task StartLeasesAsync()
        {
            try
            {
                await leases.StartAsync(lifetime.ApplicationStopping).ConfigureAwait(false);
                _started.TrySetResult();
            }
            catch (Exception ex)
            {
                _started.TrySetException(ex);
                lifetime.StopApplication();
            }
        }
    }

    /// <summary>Local mode: deactivate every grain on shutdown so grains can persist what they hold.</summary>
    private sealed class LocalShutdown(ActivationCatalog catalog) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => catalog.DeactivateAllAsync(DeactivationReason.Shutdown, cancellationToken);
    }
}
