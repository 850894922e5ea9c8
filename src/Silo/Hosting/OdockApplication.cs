using Microsoft.Extensions.Options;
using Odock.Cluster;
using Odock.Gateway;
using Odock.Admin.Api;
using Odock.Admin.Api.Auth;
using Odock.Admin.Bootstrap;
using Odock.Admin.Configuration;
using Odock.Silo.Health;
using Odock.Silo.Telemetry;
using Odock.Storage.Connections;
using Odock.Storage.Ledger;
using Odock.Storage.Migrations;
using Odock.Storage.Secrets;
using Odock.Storage.Store;

namespace Odock.Silo.Hosting;

/// <summary>
/// Builds the one executable from its roles. Every setting is read and checked here, before anything listens,
/// so a bad setting stops the process at boot with a message that names it.
/// </summary>
internal static class OdockApplication
{
    public static WebApplication Build(string[] args)
    {
        // appsettings.json ships beside the binary; relative paths in settings (data/odock.db) resolve from the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddCommandLine(args, CommandLine.SwitchMappings.ToDictionary(p => p.Key, p => p.Value));

        var host = ReadHostOptions(builder.Configuration);
        var storage = StorageStartup.ReadOptions(builder.Configuration);
        var cluster = ClusterStartup.ReadOptions(builder.Configuration);

        ClusterStartup.Add(builder, host, storage, cluster);
        var gateway = host.ParsedRoles.HasFlag(OdockRoles.Gateway) ? SettingsBinder.Bind<GatewayOptions>(builder.Configuration, GatewayOptions.SectionName, options => options.Validate()) : null;
        if (gateway is not null)
        {
            builder.Services.AddSingleton(SettingsBinder.Bind<LedgerOptions>(builder.Configuration, LedgerOptions.SectionName, options => options.Validate()));
            builder.Services.AddOdockGateway(gateway);
        }
        var admin = host.ParsedRoles.HasFlag(OdockRoles.Admin) ? SettingsBinder.Bind<AdminApiOptions>(builder.Configuration, AdminApiOptions.SectionName, options => options.Validate()) : null;
        if (admin is not null)
        {
            builder.Services.AddOdockAdminApi(admin);
        }

        builder.WebHost.UseShutdownTimeout(host.ShutdownTimeout);
        if (host.MaxWorkerThreads is { } workers)
        {
            ThreadPool.GetMaxThreads(out _, out var completionPorts);
            if (!ThreadPool.SetMaxThreads(workers, completionPorts))
            {
                throw new StartupFailure(StartupFailure.BadConfiguration, $"Odock:MaxWorkerThreads: the runtime refused {workers} worker threads");
            }
        }

        builder.Services.AddSingleton(Options.Create(host));
        builder.Services.AddSingleton(storage);
        builder.Services.AddSingleton(DbConnectionFactory.Create(storage));
        builder.Services.AddSingleton(sp => new MigrationRunner(sp.GetRequiredService<IDbConnectionFactory>()));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IOdockStore, OdockStore>();
        builder.Services.AddSingleton<ISecretProtector>(new AesGcmSecretProtector(SecretsStartup.LoadMasterKey(builder.Configuration)));
        builder.Services.AddSingleton<FirstRunBootstrapper>();
        builder.Services.AddSingleton<ConfigImporter>();
        builder.Services.AddHealthChecks()
            .AddCheck<StorageReadinessCheck>("storage", tags: [HealthEndpoints.ReadyTag])
            .AddOdockClusterReadiness("cluster", HealthEndpoints.ReadyTag);

        var telemetry = TelemetrySetup.Start(builder.Configuration, host.ParsedRoles);
        var app = builder.Build();
        if (telemetry is not null)
        {
            // Disposing the providers flushes what is still batched, so the last spans of a SIGTERM'd process are not lost.
            app.Lifetime.ApplicationStopped.Register(telemetry.Dispose);
        }

        app.MapOdockHealth();
        app.MapOdockClusterEndpoints();
        if (gateway is not null)
        {
            app.MapOdockGateway();
        }

        if (admin is not null)
        {
            app.MapOdockAdminApi();
        }

        return app;
    }

    /// <summary>Everything that must be true before the first request: schema current, first admin, declared configuration.</summary>
    public static async Task PrepareAsync(WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Odock.Startup");
        var host = app.Services.GetRequiredService<IOptions<OdockHostOptions>>().Value;
        var storage = app.Services.GetRequiredService<StorageOptions>();
        await StorageStartup.MigrateAsync(app.Services.GetRequiredService<MigrationRunner>(), storage, logger, cancellationToken).ConfigureAwait(false);
        if (host.ParsedRoles.HasFlag(OdockRoles.Admin))
        {
            await FirstRun.BootstrapAsync(app.Services, app.Configuration, Console.Out, cancellationToken).ConfigureAwait(false);
        }

        if (host.ConfigFile is { Length: > 0 } configFile)
        {
            await FirstRun.ImportAsync(app.Services.GetRequiredService<ConfigImporter>(), configFile, Console.Out, logger, cancellationToken).ConfigureAwait(false);
        }

        logger.LogInformation("Odock starting with roles {Roles} on {Listen}, storage {Engine}", host.ParsedRoles, host.Listen, storage.Engine);
        if (SingleCpuTiering.Advice(Environment.ProcessorCount, Environment.GetEnvironmentVariable) is { } advice)
        {
            logger.LogWarning("{Advice}", advice);
        }
    }

    private static OdockHostOptions ReadHostOptions(IConfiguration configuration)
    {
        OdockHostOptions options;
        try
        {
            options = configuration.GetSection(OdockHostOptions.SectionName).Get<OdockHostOptions>() ?? new OdockHostOptions();
        }
        catch (InvalidOperationException ex)
        {
            throw new StartupFailure(StartupFailure.BadConfiguration, ex.InnerException is null ? ex.Message : $"{ex.Message} ({ex.InnerException.Message})", ex);
        }

        var result = new OdockHostOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new StartupFailure(StartupFailure.BadConfiguration, string.Join(Environment.NewLine, result.Failures));
        }

        return options;
    }
}
