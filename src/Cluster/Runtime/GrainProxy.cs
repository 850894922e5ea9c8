using System.Reflection;
using Odock.Cluster.Identity;
using Odock.Cluster.Registry;

namespace Odock.Cluster.Runtime;

/// <summary>The object <see cref="IGrainFactory.Get{TGrain}"/> returns: turns interface calls into runtime calls via precompiled delegates.</summary>
#pragma warning disable CA1852 // DispatchProxy derives from this type at run time.
internal class GrainProxy : DispatchProxy
#pragma warning restore CA1852
{
    private GrainCallInvoker? _invoker;
    private GrainTypeInfo? _type;
    private GrainId _id;

    /// <summary>Points a blank proxy at a grain.</summary>
    internal void Bind(GrainCallInvoker invoker, GrainTypeInfo type, GrainId id)
    {
        _invoker = invoker;
        _type = type;
        _id = id;
    }

    /// <summary>A proxy of the same generated type as this one (which keeps its method table), not yet bound.</summary>
    internal GrainProxy Copy() => (GrainProxy)MemberwiseClone();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (!_type!.MethodsByInfo.TryGetValue(targetMethod, out var method))
        {
            throw new NotSupportedException($"{targetMethod.Name} is not a grain method of {_type.Interface.Name}.");
        }

        return method.Send(_invoker!, _id, method, args ?? []);
    }
}
