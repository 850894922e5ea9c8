using System.Collections.Frozen;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace Odock.Cluster.Registry;

/// <summary>
/// Every grain type this process knows, with method tables and compiled invokers built once. Reflection happens
/// here, at start-up; calls afterwards go through dictionaries and delegates.
/// </summary>
internal sealed class GrainRegistry
{
    private readonly FrozenDictionary<string, GrainTypeInfo> _byName;
    private readonly FrozenDictionary<Type, GrainTypeInfo> _byInterface;

    public GrainRegistry(IEnumerable<GrainRegistration> registrations)
    {
        var types = registrations.DistinctBy(r => r.Interface).Select(Describe).ToArray();
        foreach (var duplicate in types.GroupBy(t => t.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            throw new InvalidOperationException($"Grain type name '{duplicate.Key}' is used by {string.Join(" and ", duplicate.Select(t => t.Interface.Name))}; give one a [GrainType].");
        }

        _byName = types.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);
        _byInterface = types.ToFrozenDictionary(t => t.Interface);
    }

    public IEnumerable<GrainTypeInfo> Types => _byName.Values;

    public GrainTypeInfo ForInterface(Type grainInterface) => _byInterface.TryGetValue(grainInterface, out var info)
        ? info
        : throw new InvalidOperationException($"{grainInterface.Name} is not a registered grain interface; call AddGrain<{grainInterface.Name}, ...>().");

    public bool TryGetByName(string name, out GrainTypeInfo info) => _byName.TryGetValue(name, out info!);

    public GrainTypeInfo ForName(string name) => _byName.TryGetValue(name, out var info)
        ? info
        : throw new InvalidOperationException($"'{name}' is not a registered grain type.");

    public static string TypeNameOf(Type grainInterface)
    {
        if (grainInterface.GetCustomAttribute<GrainTypeAttribute>() is { } attribute)
        {
            return attribute.Name;
        }

        var name = grainInterface.Name;
        if (name.Length > 1 && name[0] == 'I' && char.IsUpper(name[1]))
        {
            name = name[1..];
        }

        if (name.EndsWith("Grain", StringComparison.Ordinal) && name.Length > 5)
        {
            name = name[..^5];
        }

        return Odock.Domain.Common.WireName.ToSnakeCase(name);
    }

    private static GrainTypeInfo Describe(GrainRegistration registration)
    {
        var methods = registration.Interface.GetMethods()
            .Concat(registration.Interface.GetInterfaces().Where(i => i != typeof(IGrainWithStringKey)).SelectMany(i => i.GetMethods()))
            .Select(method => DescribeMethod(registration.Interface, method))
            .ToArray();
        var stateType = FindStateType(registration.Implementation);
        var factory = ActivatorUtilities.CreateFactory(registration.Implementation, []);
        return new GrainTypeInfo
        {
            Name = TypeNameOf(registration.Interface),
            Interface = registration.Interface,
            Implementation = registration.Implementation,
            StateType = stateType,
            MethodsById = methods.ToFrozenDictionary(m => m.Id, StringComparer.Ordinal),
            MethodsByInfo = methods.ToFrozenDictionary(m => m.Method),
            Create = services => (Grain)factory(services, null),
        };
    }

    private static Type? FindStateType(Type implementation)
    {
        for (var type = implementation; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Grain<>))
            {
                return type.GetGenericArguments()[0];
            }
        }

        return null;
    }

    private static GrainMethod DescribeMethod(Type grainInterface, MethodInfo method)
    {
        var parameters = method.GetParameters();
        if (parameters.Any(p => p.ParameterType.IsByRef) || method.IsGenericMethodDefinition)
        {
            throw new InvalidOperationException($"{grainInterface.Name}.{method.Name}: grain methods cannot be generic or take ref/out parameters.");
        }

        var (kind, resultType) = ClassifyReturn(grainInterface, method);
        var parameterTypes = parameters.Select(p => p.ParameterType).ToArray();
        return new GrainMethod
        {
            Id = $"{method.Name}({string.Join(",", parameterTypes.Select(t => t.Name))})",
            Method = method,
            ParameterTypes = parameterTypes,
            ResultType = resultType,
            ReturnKind = kind,
            AlwaysInterleave = method.GetCustomAttribute<AlwaysInterleaveAttribute>() is not null,
            Invoke = CompileInvoke(grainInterface, method, parameterTypes, kind, resultType),
            Send = CompileSend(kind, resultType),
        };
    }

    private static (ReturnKind Kind, Type? Result) ClassifyReturn(Type grainInterface, MethodInfo method)
    {
        var type = method.ReturnType;
        if (type == typeof(Task))
        {
            return (ReturnKind.Task, null);
        }

        if (type == typeof(ValueTask))
        {
            return (ReturnKind.ValueTask, null);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>))
        {
            return (ReturnKind.TaskOfT, type.GetGenericArguments()[0]);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            return (ReturnKind.ValueTaskOfT, type.GetGenericArguments()[0]);
        }

        throw new InvalidOperationException($"{grainInterface.Name}.{method.Name}: grain methods return Task, Task<T>, ValueTask or ValueTask<T>.");
    }

    private static Func<object, object?[], ValueTask<object?>> CompileInvoke(Type grainInterface, MethodInfo method, Type[] parameterTypes, ReturnKind kind, Type? resultType)
    {
        var grain = Expression.Parameter(typeof(object), "grain");
        var arguments = Expression.Parameter(typeof(object?[]), "arguments");
        var call = Expression.Call(
            Expression.Convert(grain, grainInterface),
            method,
            parameterTypes.Select((type, i) => Expression.Convert(Expression.ArrayIndex(arguments, Expression.Constant(i)), type)));
        var adapter = kind switch
        {
            ReturnKind.Task => typeof(Adapters).GetMethod(nameof(Adapters.FromTask))!,
            ReturnKind.ValueTask => typeof(Adapters).GetMethod(nameof(Adapters.FromValueTask))!,
            ReturnKind.TaskOfT => typeof(Adapters).GetMethod(nameof(Adapters.FromTaskOf))!.MakeGenericMethod(resultType!),
            _ => typeof(Adapters).GetMethod(nameof(Adapters.FromValueTaskOf))!.MakeGenericMethod(resultType!),
        };
        return Expression.Lambda<Func<object, object?[], ValueTask<object?>>>(Expression.Call(adapter, call), grain, arguments).Compile();
    }

    private static Func<Runtime.GrainCallInvoker, Identity.GrainId, GrainMethod, object?[], object> CompileSend(ReturnKind kind, Type? resultType)
    {
        var name = kind switch
        {
            ReturnKind.Task => nameof(Adapters.SendTask),
            ReturnKind.ValueTask => nameof(Adapters.SendValueTask),
            ReturnKind.TaskOfT => nameof(Adapters.SendTaskOf),
            _ => nameof(Adapters.SendValueTaskOf),
        };
        var method = typeof(Adapters).GetMethod(name)!;
        if (resultType is not null)
        {
            method = method.MakeGenericMethod(resultType);
        }

        return method.CreateDelegate<Func<Runtime.GrainCallInvoker, Identity.GrainId, GrainMethod, object?[], object>>();
    }

    /// <summary>Generic bridges between typed tasks and the runtime's boxed results; bound to delegates at start-up.</summary>
    internal static class Adapters
    {
        public static async ValueTask<object?> FromTask(Task task)
        {
            await task.ConfigureAwait(false);
            return null;
        }

        public static async ValueTask<object?> FromValueTask(ValueTask task)
        {
            await task.ConfigureAwait(false);
            return null;
        }

        public static async ValueTask<object?> FromTaskOf<T>(Task<T> task) => await task.ConfigureAwait(false);

        public static async ValueTask<object?> FromValueTaskOf<T>(ValueTask<T> task) => await task.ConfigureAwait(false);

        public static object SendTask(Runtime.GrainCallInvoker invoker, Identity.GrainId id, GrainMethod method, object?[] arguments) =>
            invoker.InvokeAsync<object?>(id, method, arguments);

        // A proxy returns every result as an object (DispatchProxy's contract), which boxes a ValueTask; the caller of
        // the interface method gets it unboxed and consumes it once, as any ValueTask.
#pragma warning disable CA2012
        public static object SendValueTask(Runtime.GrainCallInvoker invoker, Identity.GrainId id, GrainMethod method, object?[] arguments) =>
            WithoutResult(invoker.InvokeValueAsync<object?>(id, method, arguments));

        public static object SendTaskOf<T>(Runtime.GrainCallInvoker invoker, Identity.GrainId id, GrainMethod method, object?[] arguments) =>
            invoker.InvokeAsync<T>(id, method, arguments);

        public static object SendValueTaskOf<T>(Runtime.GrainCallInvoker invoker, Identity.GrainId id, GrainMethod method, object?[] arguments) =>
            invoker.InvokeValueAsync<T>(id, method, arguments);
#pragma warning restore CA2012

        private static ValueTask WithoutResult(ValueTask<object?> call) => call.IsCompletedSuccessfully ? default : new ValueTask(call.AsTask());
    }
}
