using Microsoft.Extensions.DependencyInjection;
using Odock.Cluster;

namespace Odock.Bench.Grains;

/// <summary>
/// The bench grains, for silos, clients and local hosts alike. Their arguments and results are <see cref="int"/> and
/// <see cref="long"/>, which the runtime's built-in JSON contracts already cover, so no serialisation context is added.
/// </summary>
internal static class BenchGrainRegistration
{
    public static void AddBenchGrains(IServiceCollection services) => services.AddGrain<IEchoGrain, EchoGrain>();
}
