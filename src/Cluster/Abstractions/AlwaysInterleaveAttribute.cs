namespace Odock.Cluster;

/// <summary>
/// Lets calls to this grain method run while another call on the same activation is in progress. For read-only
/// methods that must not queue behind slow ones; the method must be safe against concurrent state changes.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AlwaysInterleaveAttribute : Attribute;
