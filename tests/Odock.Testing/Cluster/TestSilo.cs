using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Odock.Cluster;
using Odock.Cluster.Activation;
using Odock.Cluster.Membership;

namespace Odock.Testing.Cluster;

/// <summary>One silo of a <see cref="TestCluster"/>: its own web host, DI container, cluster listener and clock.</summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    internal TestSilo(WebApplication app, PausableTimeProvider time)
    {
        _app = app;
        Time = time;
    }

    /// <summary>Stays readable after the silo stopped or was killed, so tests can name it in assertions.</summary>
    public string Id { get; private set; } = "";

    public string Address => _stopped ? "" : Leases.Silo.Address;

    /// <summary>Calls grains from this silo (routing like any other caller).</summary>
    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    public PausableTimeProvider Time { get; }

    public IServiceProvider Services => _app.Services;

    public bool IsRunning => !_stopped;

    public int ActivationCount => Catalog.Count;

    public int ServingPartitionCount => Leases.ServingCount;

    internal LeaseManager Leases => _app.Services.GetRequiredService<LeaseManager>();

    internal ActivationCatalog Catalog => _app.Services.GetRequiredService<ActivationCatalog>();

    public bool Serves(int partition) => Leases.TryGetServingEpoch(partition, out _);

    public IReadOnlyList<int> OwnedPartitions => Leases.Owned.Partitions.ToArray();

    internal async Task StartAsync()
    {
        Id = Leases.Silo.Id;
        await _app.StartAsync().ConfigureAwait(false);
    }

    /// <summary>Graceful: hands every partition off with state written, then stops.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Abrupt: no release, no deactivation, no further renewals; the listener goes away.</summary>
    public async Task KillAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            Leases.Crash();
            await _app.StopAsync(new CancellationToken(canceled: true)).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops heartbeats and renewals and freezes the silo's clock, so it keeps serving as it believes it may.</summary>
    public void Pause()
    {
        Leases.Pause();
        Time.Freeze();
    }

    public ValueTask DisposeAsync() => _stopped ? ValueTask.CompletedTask : new ValueTask(KillAsync());
}
