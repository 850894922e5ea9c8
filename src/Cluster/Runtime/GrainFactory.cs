using System.Reflection;
using Odock.Cluster.Identity;

namespace Odock.Cluster.Runtime;

/// <summary>
/// Hands out grain proxies. A proxy is a few fields on a type generated once per interface; each is made by copying a
/// blank template of that type (a memberwise clone) rather than through <see cref="DispatchProxy.Create{T, TProxy}"/>,
/// which takes a global lock and builds the instance by reflection on every call. Nothing is kept per key.
/// </summary>
internal sealed class GrainFactory(GrainCallInvoker invoker) : IGrainFactory
{
    public TGrain Get<TGrain>(string key)
        where TGrain : class, IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(key);
        var type = invoker.Registry.ForInterface(typeof(TGrain));
        return (TGrain)(object)Template<TGrain>.Blank.CopyFor(invoker, type, new GrainId(type.Name, key));
    }

    /// <summary>The blank proxy of one interface, created on first use; it holds no invoker, type or key.</summary>
    private static class Template<TGrain>
        where TGrain : class, IGrainWithStringKey
    {
        public static readonly GrainProxy Blank = (GrainProxy)(object)DispatchProxy.Create<TGrain, GrainProxy>();
    }
}
