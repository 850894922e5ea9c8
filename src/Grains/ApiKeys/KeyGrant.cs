using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using Odock.Grains.Governance;
using Odock.Domain.Quotas;

namespace Odock.Grains.ApiKeys;

/// <summary>
/// What an admitted key may do and whom it is charged to: its owner, its model and MCP grants, the limits a gateway
/// applies itself (output tokens and body bytes per request: a body sent without a length is measured only as it is
/// read), and every budget and
/// quota that applies (the key's own, its user's, its team's and its organisation's). <see cref="Version"/> is a hash
/// of everything else: it changes when any of it does, and is the same in every activation of the key's grain, so a
/// gateway may remember a grant and ask the key whether it is still current (<see cref="IApiKeyGrain.AdmitAndStart"/>).
/// </summary>
public sealed record KeyGrant(
    Guid KeyId,
    string KeyName,
    Guid OrganisationId,
    Guid? TeamId,
    Guid? UserId,
    Guid[] ModelGrants,
    Guid[] McpGrants,
    long? MaxTokensPerRequest,
    long? MaxPayloadBytes,
    Guid[] BudgetIds,
    QuotaLink[] Quotas,
    long Version)
{
    /// <summary>The first eight bytes of the SHA-256 of the grant's JSON with a zero version.</summary>
    public static long VersionOf(KeyGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var json = JsonSerializer.SerializeToUtf8Bytes(grant with { Version = 0 }, GovernanceJsonContext.Default.KeyGrant);
        return BinaryPrimitives.ReadInt64LittleEndian(SHA256.HashData(json));
    }
}

/// <summary>A quota that applies to a key, with what it counts, so the caller knows what to reserve.</summary>
public sealed record QuotaLink(Guid Id, QuotaUnit Unit);
