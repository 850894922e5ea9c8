namespace Odock.Cluster;

/// <summary>
/// The stable name of a grain type, used in its identity, its partition hash and its stored state. Defaults to the
/// interface name without the leading <c>I</c> and trailing <c>Grain</c> (<c>IBudgetGrain</c> → <c>budget</c>);
/// set it explicitly before renaming an interface, or existing state is orphaned.
/// </summary>
[AttributeUsage(AttributeTargets.Interface)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
