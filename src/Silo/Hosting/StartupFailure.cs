namespace Odock.Silo.Hosting;

/// <summary>
/// A reason start-up cannot go on, phrased for the operator: it names the setting or file at fault.
/// Caught once in Program, printed without a stack trace, and turned into the exit code.
/// </summary>
internal sealed class StartupFailure : Exception
{
    public StartupFailure(int exitCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    public StartupFailure()
    {
    }

    public StartupFailure(string message)
        : base(message)
    {
    }

    public StartupFailure(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>2: a setting or configuration file is wrong. 3: storage is unreachable or a migration failed.</summary>
    public int ExitCode { get; } = 1;

    public const int BadConfiguration = 2;
    public const int StorageUnavailable = 3;
}
