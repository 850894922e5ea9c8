namespace Odock.Storage.Ledger;

/// <summary>How the usage ledger writer batches, bounds its memory and keeps records while the database is away. Bound from <c>Odock:Ledger</c>.</summary>
public sealed class LedgerOptions
{
    public const string SectionName = "Odock:Ledger";

    /// <summary>Records held in memory waiting for the writer; the bound on the ledger's memory.</summary>
    public int Capacity { get; set; } = 50_000;

    /// <summary>The most records written in one transaction (one COPY on PostgreSQL).</summary>
    public int BatchSize { get; set; } = 2_000;

    /// <summary>
    /// How long the writer, woken by a record after a quiet spell, waits for more before it writes: a few milliseconds
    /// of delay in the ledger buy one transaction per batch instead of one per request. Zero writes at once.
    /// </summary>
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// On Linux, the writer's thread runs at idle priority (<c>SCHED_IDLE</c>) while it keeps up, so on a core shared
    /// with the gateway requests never wait behind a batch; it steps up to nice +5 when it falls behind. False keeps it
    /// at nice +5 throughout.
    /// </summary>
    public bool IdlePriority { get; set; } = true;

    /// <summary>How long a producer waits for room in a full queue before its record goes straight to the spool file.</summary>
    public TimeSpan EnqueueTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a writer with records in its spool tries the database again.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Where the spool and dead-letter files live. Unset: a <c>ledger</c> folder beside the SQLite database file, or
    /// <c>data/ledger</c> under the working directory on PostgreSQL (the same place by default).
    /// </summary>
    public string? SpoolDirectory { get; set; }

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Capacity < 1)
        {
            problems.Add($"{SectionName}:Capacity: must be at least 1");
        }

        if (BatchSize < 1)
        {
            problems.Add($"{SectionName}:BatchSize: must be at least 1");
        }

        if (EnqueueTimeout < TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:EnqueueTimeout: must not be negative");
        }

        if (Linger < TimeSpan.Zero || Linger > TimeSpan.FromSeconds(1))
        {
            problems.Add($"{SectionName}:Linger: must be between 0 and 1 second");
        }

        if (RetryInterval <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:RetryInterval: must be positive");
        }

        if (SpoolDirectory is not null && string.IsNullOrWhiteSpace(SpoolDirectory))
        {
            problems.Add($"{SectionName}:SpoolDirectory: must name a directory when set");
        }

        return problems;
    }
}
