namespace Odock.Silo.Telemetry;

/// <summary>Where OpenTelemetry goes. Bound from <c>Odock:Telemetry</c>; nothing is exported until an endpoint is set.</summary>
internal sealed class TelemetryOptions
{
    public const string SectionName = "Odock:Telemetry";

    /// <summary>An OTLP/HTTP endpoint such as http://otel-collector:4318 (metrics go to /v1/metrics, traces to /v1/traces).</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The service.name resource attribute; the roles are added as service.instance attributes.</summary>
    public string ServiceName { get; set; } = "odock";

    public TimeSpan MetricExportInterval { get; set; } = TimeSpan.FromSeconds(15);
}
