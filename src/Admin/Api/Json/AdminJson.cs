using System.Text.Json;
using System.Text.Json.Serialization;
using Odock.Domain.ApiKeys;
using Odock.Domain.Budgets;
using Odock.Domain.Common;
using Odock.Domain.Invoices;
using Odock.Domain.Mcp;
using Odock.Domain.Models;
using Odock.Domain.Periods;
using Odock.Domain.Providers;
using Odock.Domain.Quotas;
using Odock.Domain.Routing;
using Odock.Domain.Usage;
using Odock.Domain.Users;
using Odock.Storage.Reporting;

namespace Odock.Admin.Api.Json;

/// <summary>
/// The admin API's JSON: snake_case names, enums as their wire names (<c>organisation_admin</c>), nulls left out.
/// Kept apart from the host's default options so the gateway's own formats are untouched in an all-in-one process.
/// </summary>
internal static class AdminJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            IgnoreReadOnlyProperties = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.Converters.Add(new WireNameJsonConverter<UserRole>());
        options.Converters.Add(new WireNameJsonConverter<UserStatus>());
        options.Converters.Add(new WireNameJsonConverter<ApiKeyScope>());
        options.Converters.Add(new WireNameJsonConverter<ApiKeyStatus>());
        options.Converters.Add(new WireNameJsonConverter<LimitScope>());
        options.Converters.Add(new WireNameJsonConverter<PeriodKind>());
        options.Converters.Add(new WireNameJsonConverter<QuotaUnit>());
        options.Converters.Add(new WireNameJsonConverter<ProviderType>());
        options.Converters.Add(new WireNameJsonConverter<ModelType>());
        options.Converters.Add(new WireNameJsonConverter<ModelCapability>());
        options.Converters.Add(new WireNameJsonConverter<McpTransport>());
        options.Converters.Add(new WireNameJsonConverter<RoutingStrategy>());
        options.Converters.Add(new WireNameJsonConverter<InvoiceScope>());
        options.Converters.Add(new WireNameJsonConverter<InvoiceStatus>());
        options.Converters.Add(new WireNameJsonConverter<InvoiceLineKind>());
        options.Converters.Add(new WireNameJsonConverter<UsageKind>());
        options.Converters.Add(new WireNameJsonConverter<UsageErrorClass>());
        options.Converters.Add(new WireNameJsonConverter<UsageGranularity>());
        options.Converters.Add(new WireNameJsonConverter<UsageDimension>());
        // Pricing reads and writes as it is stored: a plain price object, or {"schedule": [...]} with effective_from
        // dates; a field that is no price is refused, as everywhere in this API.
        options.Converters.Add(Storage.Sql.ModelPriceScheduleJsonConverter.Strict);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
