namespace Odock.Silo.Hosting;

/// <summary>Process-level settings, bound from the <c>Odock</c> configuration section.</summary>
internal sealed class OdockHostOptions
{
    public const string SectionName = "Odock";

    /// <summary>Comma-separated roles: silo, gateway, admin. Empty means all three.</summary>
    public string Roles { get; set; } = "silo,gateway,admin";

    /// <summary>The client-facing listener (gateway, admin, health). Loopback by default: expose it deliberately.</summary>
    public string Listen { get; set; } = "http://127.0.0.1:8080";

    /// <summary>A declarative configuration file (YAML) imported at start-up, idempotently.</summary>
    public string? ConfigFile { get; set; }

    /// <summary>How long a SIGTERM waits for in-flight requests before the process exits.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most thread-pool worker threads the process may use; unset leaves the runtime's own limit. On a process
    /// given one core, one worker runs each request's work to its next wait instead of time-slicing several requests'
    /// threads on that core, which cut median latency at moderate load by more than half (docs/BENCHMARKS.md). Must be at
    /// least the number of cores the process may use.
    /// </summary>
    public int? MaxWorkerThreads { get; set; }

    public OdockRoles ParsedRoles => OdockRolesParser.TryParse(Roles, out var roles, out _) ? roles : OdockRoles.None;
}
