using System.Text.Json.Serialization;

namespace Odock.Admin.Invoices;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InvoiceAuditDetails))]
internal sealed partial class InvoiceJsonContext : JsonSerializerContext;
