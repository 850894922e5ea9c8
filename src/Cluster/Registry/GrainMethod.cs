using System.Reflection;

namespace Odock.Cluster.Registry;

/// <summary>
/// One grain interface method, with the delegates compiled once at start-up that call it on an activation
/// (<see cref="Invoke"/>) and turn a proxy call into a runtime call (<see cref="Send"/>): no reflection per call.
/// </summary>
internal sealed class GrainMethod
{
    public required string Id { get; init; }

    public required MethodInfo Method { get; init; }

    public required Type[] ParameterTypes { get; init; }

    /// <summary>The awaited result type, or null for methods returning a bare Task or ValueTask.</summary>
    public required Type? ResultType { get; init; }

    public required ReturnKind ReturnKind { get; init; }

    public required bool AlwaysInterleave { get; init; }

    /// <summary>Runs the method on a grain instance and returns its awaited, boxed result.</summary>
    public required Func<object, object?[], ValueTask<object?>> Invoke { get; init; }

    /// <summary>Called by proxies: starts the runtime call and returns the Task or ValueTask the interface method declares.</summary>
    public required Func<Runtime.GrainCallInvoker, Identity.GrainId, GrainMethod, object?[], object> Send { get; init; }
}
