using System.Linq.Expressions;
using System.Reflection;
using Odock.Cluster.Identity;

namespace Odock.Cluster.Runtime;

/// <summary>
/// Hands out grain proxies. A proxy is a few fields on a type generated once per interface; each is made by that
/// type's constructor through a delegate compiled once, rather than through <see cref="DispatchProxy.Create{T, TProxy}"/>,
/// which takes a global lock and builds the instance by reflection on every call. Nothing is kept per key.
/// </summary>
internal sealed class GrainFactory(GrainCallInvoker invoker) : IGrainFactory
{
    public TGrain Get<TGrain>(string key)
        where TGrain : class, IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(key);
        var type = invoker.Registry.ForInterface(typeof(TGrain));
        var proxy = Template<TGrain>.Create();
        proxy.Bind(invoker, type, new GrainId(type.Name, key));
        return (TGrain)(object)proxy;
    }

    /// <summary>Makes blank proxies of one interface, which hold no invoker, type or key until bound.</summary>
    private static class Template<TGrain>
        where TGrain : class, IGrainWithStringKey
    {
        public static readonly Func<GrainProxy> Create = Factory();

        /// <summary>
        /// The generated type's constructor takes the interface's methods, which it keeps in a field: called with the
        /// array of a proxy made once by <see cref="DispatchProxy"/>, it makes one like it for the cost of an allocation.
        /// A runtime that shapes the type otherwise gets copies of that proxy (a memberwise clone, four times slower).
        /// </summary>
        private static Func<GrainProxy> Factory()
        {
            var blank = (GrainProxy)(object)DispatchProxy.Create<TGrain, GrainProxy>();
            var type = blank.GetType();
            var fields = type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Where(f => f.FieldType == typeof(MethodInfo[])).ToArray();
            if (type.GetConstructors() is not [var constructor]
                || constructor.GetParameters() is not [{ ParameterType: var parameter }]
                || parameter != typeof(MethodInfo[])
                || fields is not [var methods])
            {
                return blank.Copy;
            }

            return Expression.Lambda<Func<GrainProxy>>(Expression.New(constructor, Expression.Constant(methods.GetValue(blank), typeof(MethodInfo[])))).Compile();
        }
    }
}
