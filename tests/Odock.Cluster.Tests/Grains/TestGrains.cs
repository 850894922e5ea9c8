using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Odock.Cluster;

namespace Odock.Cluster.Tests.Grains;

/// <summary>Remembers which silo activated it; the registry counts activations per key across the whole test process.</summary>
public interface IProbeGrain : IGrainWithStringKey
{
    Task<string> WhereAreYou();
}

/// <summary>The exactly-once counter of the cluster tests: each increment carries an operation id remembered with the state.</summary>
public interface ICounterGrain : IGrainWithStringKey
{
    Task<long> Increment(string operationId);

    [AlwaysInterleave]
    Task<long> Peek();
}

/// <summary>Measures how many calls run inside it at once.</summary>
public interface ITurnGrain : IGrainWithStringKey
{
    Task<int> Work(int milliseconds);

    [AlwaysInterleave]
    Task<int> Interleaved(int milliseconds);

    Task<int> MaxConcurrency();

    Task Fail(string message);
}

public sealed class CounterState
{
    public long Count { get; set; }

    public List<string> RecentOperations { get; set; } = [];
}

public sealed class ActivationRegistry
{
    public ConcurrentDictionary<string, int> Activations { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, int> Deactivations { get; } = new(StringComparer.Ordinal);
}

internal sealed class ProbeGrain(ActivationRegistry registry) : Grain, IProbeGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        registry.Activations.AddOrUpdate(Key, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        registry.Deactivations.AddOrUpdate(Key, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public Task<string> WhereAreYou() => Task.FromResult(Key);
}

internal sealed class CounterGrain : Grain<CounterState>, ICounterGrain
{
    private const int RememberedOperations = 2048;

    public async Task<long> Increment(string operationId)
    {
        if (State.RecentOperations.Contains(operationId))
        {
            return State.Count;
        }

        State.Count++;
        State.RecentOperations.Add(operationId);
        if (State.RecentOperations.Count > RememberedOperations)
        {
            State.RecentOperations.RemoveRange(0, State.RecentOperations.Count - RememberedOperations);
        }

        await WriteStateAsync();
        return State.Count;
    }

    public Task<long> Peek() => Task.FromResult(State.Count);
}

internal sealed class TurnGrain : Grain, ITurnGrain
{
    private int _inside;
    private int _max;

    public async Task<int> Work(int milliseconds) => await Measure(milliseconds);

    public async Task<int> Interleaved(int milliseconds) => await Measure(milliseconds);

    public Task<int> MaxConcurrency() => Task.FromResult(_max);

    public Task Fail(string message) => throw new InvalidOperationException(message);

    private async Task<int> Measure(int milliseconds)
    {
        var inside = Interlocked.Increment(ref _inside);
        InterlockedMax(ref _max, inside);
        await Task.Delay(milliseconds);
        Interlocked.Decrement(ref _inside);
        return inside;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

[JsonSerializable(typeof(CounterState))]
internal sealed partial class TestGrainJsonContext : JsonSerializerContext;

public static class TestGrainRegistration
{
    public static Action<IServiceCollection> With(ActivationRegistry registry) => services =>
    {
        services.AddSingleton(registry);
        services.AddGrain<IProbeGrain, ProbeGrain>();
        services.AddGrain<ICounterGrain, CounterGrain>();
        services.AddGrain<ITurnGrain, TurnGrain>();
        services.AddGrainSerialization(TestGrainJsonContext.Default);
    };
}
