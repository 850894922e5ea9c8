namespace Odock.Bench.Load;

/// <summary>The ways a caller reaches grains.</summary>
internal enum CallPath
{
    /// <summary>A cluster client calling a silo over HTTP/2 on loopback; client and silo share this process (TestCluster).</summary>
    Remote,

    /// <summary>The same hop with the silo in a child process: two thread pools, two heaps, one machine.</summary>
    CrossProcess,

    /// <summary>No grain runtime: a bare Kestrel endpoint and HttpClient exchanging a grain call's bytes over HTTP/2 on loopback.</summary>
    Http2Floor,

    /// <summary>The silo calling a grain it owns: cluster mode, in-process.</summary>
    Silo,

    /// <summary>The all-in-one process on SQLite: local mode, in-process.</summary>
    Local,
}
