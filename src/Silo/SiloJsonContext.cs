using System.Text.Json.Serialization;
using Odock.Silo.Health;

namespace Odock.Silo;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(HealthResponse))]
internal sealed partial class SiloJsonContext : JsonSerializerContext;
