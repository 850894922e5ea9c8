using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using Odock.Admin.Api.Json;
using Odock.Domain.Audit;
using Odock.Storage.Store;

namespace Odock.Admin.Api.Audit;

/// <summary>
/// Writes one audit entry per change, in the change's own transaction: who, from which address, what, and the entity
/// before and after as JSON. Values under secret-bearing names are masked even if a caller passes them by mistake.
/// </summary>
internal sealed class AuditTrail
{
    public const string Mask = "***";

    private static readonly FrozenSet<string> SecretNames = new[]
    {
        "secret", "password", "password_hash", "hash", "token", "encrypted_secret", "ciphertext", "plaintext", "private_key",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private readonly TimeProvider _time;

    public AuditTrail(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    public Task RecordAsync(IStoreSession session, Auth.AdminCall call, Guid? organisationId, string action, string targetType, Guid targetId, object? before, object? after)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(call);
        var details = new JsonObject
        {
            ["client_address"] = call.ClientAddress,
            ["before"] = Masked(before),
            ["after"] = Masked(after),
        };
        return session.Audit.AppendAsync(
            new AuditEntry
            {
                Id = Guid.CreateVersion7(_time.GetUtcNow()), OccurredAt = _time.GetUtcNow(), Actor = call.Principal.Actor, OrganisationId = organisationId,
                Action = action, TargetType = targetType, TargetId = targetId.ToString(), DetailsJson = details.ToJsonString(),
            },
            call.Cancellation);
    }

    private static JsonNode? Masked(object? value)
    {
        if (value is null)
        {
            return null;
        }

        var node = JsonSerializer.SerializeToNode(value, value.GetType(), AdminJson.Options);
        MaskSecrets(node);
        return node;
    }

    private static void MaskSecrets(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToArray())
                {
                    if (SecretNames.Contains(name) || name.EndsWith("_secret", StringComparison.OrdinalIgnoreCase))
                    {
                        obj[name] = Mask;
                    }
                    else
                    {
                        MaskSecrets(obj[name]);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    MaskSecrets(item);
                }

                break;
        }
    }
}
