using System.Text.Json.Serialization.Metadata;

namespace Odock.Cluster;

/// <summary>The JSON contracts grain calls and grain state are serialised with; grain assemblies add their source-generated contexts.</summary>
public sealed class ClusterJsonOptions
{
    public List<IJsonTypeInfoResolver> Resolvers { get; } = [];
}
