using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Odock.Cluster;

namespace Odock.Testing.Cluster;

/// <summary>A cluster client with its own DI container: what a gateway process holds.</summary>
public sealed class TestClient : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly IHostedService[] _hosted;

    internal TestClient(ServiceProvider provider, IHostedService[] hosted)
    {
        _provider = provider;
        _hosted = hosted;
    }

    public IGrainFactory Grains => _provider.GetRequiredService<IGrainFactory>();

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _hosted)
        {
            await service.StopAsync(CancellationToken.None);
        }

        await _provider.DisposeAsync();
    }
}
