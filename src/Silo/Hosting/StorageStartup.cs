using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Odock.Storage.Connections;
using Odock.Storage.Migrations;

namespace Odock.Silo.Hosting;

/// <summary>Brings storage up before anything serves: checks the settings, reaches the database, applies migrations.</summary>
internal static class StorageStartup
{
    public static StorageOptions ReadOptions(IConfiguration configuration)
    {
        StorageOptions options;
        try
        {
            options = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        }
        catch (InvalidOperationException ex)
        {
            throw new StartupFailure(StartupFailure.BadConfiguration, ex.Message, ex);
        }

        if (options.Engine == StorageEngine.Postgres)
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(options.PostgresConnectionString);
            }
            catch (ArgumentException ex)
            {
                throw new StartupFailure(StartupFailure.BadConfiguration, $"Odock:Storage:PostgresConnectionString: not a valid PostgreSQL connection string ({ex.Message})", ex);
            }
        }
        else if (string.IsNullOrWhiteSpace(options.SqlitePath))
        {
            throw new StartupFailure(StartupFailure.BadConfiguration, "Odock:Storage:SqlitePath: must name a file when no PostgreSQL connection string is given");
        }

        return options;
    }

    public static async Task MigrateAsync(MigrationRunner runner, StorageOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            var applied = await runner.ApplyAsync(cancellationToken).ConfigureAwait(false);
            if (applied.Count > 0)
            {
                logger.LogInformation("Applied {Count} migration(s) on {Engine}: {Versions}", applied.Count, options.Engine, string.Join(", ", applied));
            }
        }
        catch (MigrationFailedException ex)
        {
            throw new StartupFailure(StartupFailure.StorageUnavailable, ex.Message, ex);
        }
        catch (Exception ex) when (ex is DbException or System.Net.Sockets.SocketException or TimeoutException or IOException or UnauthorizedAccessException)
        {
            throw new StartupFailure(StartupFailure.StorageUnavailable, Describe(options, ex), ex);
        }
    }

    private static string Describe(StorageOptions options, Exception ex)
    {
        if (options.Engine == StorageEngine.Postgres)
        {
            var builder = new NpgsqlConnectionStringBuilder(options.PostgresConnectionString);
            return $"Odock:Storage:PostgresConnectionString: cannot reach PostgreSQL at {builder.Host}:{builder.Port} database '{builder.Database}' ({Innermost(ex).Message})";
        }

        var reason = ex is SqliteException sqlite ? $"SQLite error {sqlite.SqliteErrorCode}: {sqlite.Message}" : Innermost(ex).Message;
        return $"Odock:Storage:SqlitePath: cannot open '{Path.GetFullPath(options.SqlitePath)}' ({reason})";
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }
}
