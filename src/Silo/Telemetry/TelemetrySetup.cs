using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Odock.Silo.Hosting;

namespace Odock.Silo.Telemetry;

/// <summary>
/// Wires the OpenTelemetry SDK by hand (the hosting and instrumentation packages do not restore here): every
/// Odock meter and activity source, plus the ones ASP.NET Core, Kestrel and HttpClient already publish.
/// The providers live as long as the process and flush on shutdown.
/// </summary>
internal sealed class TelemetrySetup : IDisposable
{
    private static readonly string[] Meters =
    [
        "Odock.*",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Net.Http",
        "System.Runtime",
    ];

    private static readonly string[] Sources = ["Odock.*", "Microsoft.AspNetCore", "System.Net.Http"];

    private readonly MeterProvider _meters;
    private readonly TracerProvider _traces;

    private TelemetrySetup(MeterProvider meters, TracerProvider traces)
    {
        _meters = meters;
        _traces = traces;
    }

    public static TelemetrySetup? Start(IConfiguration configuration, OdockRoles roles)
    {
        var options = ReadOptions(configuration);
        if (string.IsNullOrWhiteSpace(options.OtlpEndpoint))
        {
            return null;
        }

        var endpoint = options.OtlpEndpoint.TrimEnd('/');
        var resource = ResourceBuilder.CreateDefault()
            .AddService(options.ServiceName, serviceInstanceId: $"{Environment.MachineName}-{Environment.ProcessId}")
            .AddAttributes([new("odock.roles", roles.ToString())]);

        var meters = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(Meters)
            .AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = new Uri(endpoint + "/v1/metrics");
                exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)options.MetricExportInterval.TotalMilliseconds;
            })
            .Build();
        var traces = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(Sources)
            .AddOtlpExporter(exporter =>
            {
                exporter.Endpoint = new Uri(endpoint + "/v1/traces");
                exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
            })
            .Build();
        return new TelemetrySetup(meters, traces);
    }

    public void Dispose()
    {
        _meters.Dispose();
        _traces.Dispose();
    }

    private static TelemetryOptions ReadOptions(IConfiguration configuration)
    {
        TelemetryOptions options;
        try
        {
            options = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        }
        catch (InvalidOperationException ex)
        {
            throw new StartupFailure(StartupFailure.BadConfiguration, ex.InnerException is null ? ex.Message : $"{ex.Message} ({ex.InnerException.Message})", ex);
        }

        if (options.OtlpEndpoint is { Length: > 0 } endpoint && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            throw new StartupFailure(StartupFailure.BadConfiguration, $"Odock:Telemetry:OtlpEndpoint: '{endpoint}' is not an http:// or https:// address such as http://otel-collector:4318");
        }

        if (options.MetricExportInterval < TimeSpan.FromMilliseconds(100))
        {
            throw new StartupFailure(StartupFailure.BadConfiguration, $"Odock:Telemetry:MetricExportInterval: '{options.MetricExportInterval}' must be at least 00:00:00.1");
        }

        return options;
    }
}
