using System.Collections.Frozen;
using System.Reflection;

namespace Odock.Cluster.Registry;

/// <summary>A registered grain: its interface, its implementation, its stable type name and its methods.</summary>
internal sealed class GrainTypeInfo
{
    public required string Name { get; init; }

    public required Type Interface { get; init; }

    public required Type Implementation { get; init; }

    /// <summary>The persistent state type for <see cref="Grain{TState}"/> implementations, else null.</summary>
    public required Type? StateType { get; init; }

    public required FrozenDictionary<string, GrainMethod> MethodsById { get; init; }

    public required FrozenDictionary<MethodInfo, GrainMethod> MethodsByInfo { get; init; }

    /// <summary>Creates the implementation through dependency injection; compiled once.</summary>
    public required Func<IServiceProvider, Grain> Create { get; init; }
}
