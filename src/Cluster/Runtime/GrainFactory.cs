using System.Reflection;
using Odock.Cluster.Identity;

namespace Odock.Cluster.Runtime;

internal sealed class GrainFactory(GrainCallInvoker invoker) : IGrainFactory
{
    public TGrain Get<TGrain>(string key)
        where TGrain : class, IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(key);
        var type = invoker.Registry.ForInterface(typeof(TGrain));
        var proxy = DispatchProxy.Create<TGrain, GrainProxy>();
        ((GrainProxy)(object)proxy).Initialise(invoker, type, new GrainId(type.Name, key));
        return (TGrain)proxy;
    }
}
