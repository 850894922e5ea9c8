using Odock.Admin.Bootstrap;
using Odock.Admin.Configuration;

namespace Odock.Silo.Hosting;

/// <summary>
/// Start-up steps that may produce secrets meant for a human: they go to standard output once, never to a log.
/// </summary>
internal static class FirstRun
{
    public static async Task BootstrapAsync(IServiceProvider services, IConfiguration configuration, TextWriter console, CancellationToken cancellationToken)
    {
        var options = configuration.GetSection(BootstrapOptions.SectionName).Get<BootstrapOptions>() ?? new BootstrapOptions();
        var password = Environment.GetEnvironmentVariable(BootstrapOptions.PasswordVariable) is { Length: > 0 } supplied ? supplied : null;
        BootstrapResult? result;
        try
        {
            result = await services.GetRequiredService<FirstRunBootstrapper>().RunAsync(options, password, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            throw new StartupFailure(StartupFailure.BadConfiguration, ex.Message, ex);
        }

        if (result is null)
        {
            return;
        }

        await console.WriteLineAsync($"""

            ==================== Odock first run ====================
            Super admin:      {result.AdminEmail}
            Password:         {result.GeneratedPassword ?? $"(from {BootstrapOptions.PasswordVariable})"}
            Admin API token:  {result.AdminToken}
            These are shown once and stored only as hashes. Keep them now.
            ==========================================================

            """).ConfigureAwait(false);
    }

    public static async Task ImportAsync(ConfigImporter importer, string path, TextWriter console, ILogger logger, CancellationToken cancellationToken)
    {
        ImportReport report;
        try
        {
            report = await importer.ImportFileAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigurationFileException ex)
        {
            throw new StartupFailure(StartupFailure.BadConfiguration, ex.Message, ex);
        }

        logger.LogInformation("Imported {File}: {Report}", path, report.ToString());
        foreach (var key in report.GeneratedKeys)
        {
            await console.WriteLineAsync($"Generated API key {key.Organisation}/{key.Name}: {key.Secret}  (shown once; only its hash is stored)").ConfigureAwait(false);
        }
    }
}
