using System.Net;
using Odock.Cluster;
using Odock.Domain.ApiKeys;
using Odock.Domain.Budgets;
using Odock.Domain.Policies;
using Odock.Grains.Governance;
using Odock.Grains.Limits;
using Odock.Storage.Store;

namespace Odock.Grains.ApiKeys;

/// <summary>
/// Holds one key in memory after a single storage read: its status, grants, limits and linked budgets, plus the live
/// request and token windows. An unknown key is remembered as unknown (repeats cost no storage read) until refreshed.
/// </summary>
internal sealed class ApiKeyGrain(IOdockStore store, TimeProvider time, KeyUseRecorder uses) : Grain, IApiKeyGrain
{
    /// <summary>Uses closer together than this are one use for <c>last_used_at</c>.</summary>
    private static readonly TimeSpan UseResolution = TimeSpan.FromSeconds(1);

    private ApiKey? _key;
    private KeyGrant? _grant;
    private AddressRanges _addresses = AddressRanges.Of(ResourcePolicy.None);
    private PolicyLimiter? _limits;
    private DateTimeOffset _lastNoted = DateTimeOffset.MinValue;

    public override Task OnActivateAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public ValueTask<AdmitResult> Admit(AdmitRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _key is null || _grant is null ? new(RefuseUnknownAsync(request.ClientAddress)) : new(Decide(request, _key, _grant));
    }

    private AdmitResult Decide(AdmitRequest request, ApiKey key, KeyGrant grant)
    {
        var now = time.GetUtcNow();
        if (key.Status == ApiKeyStatus.Revoked)
        {
            return Refused(new Refusal(RefusalReason.Revoked, "api_key", $"The API key '{key.Name}' has been revoked.", 0));
        }

        if (key.Status != ApiKeyStatus.Active || key.IsExpired(now))
        {
            return Refused(new Refusal(RefusalReason.Expired, "api_key", $"The API key '{key.Name}' has expired.", 0));
        }

        if (!AddressAllowed(request.ClientAddress))
        {
            return Refused(new Refusal(RefusalReason.AddressNotAllowed, "ip_rules", $"The API key '{key.Name}' may not be used from {request.ClientAddress}.", 0));
        }

        if (key.Limits.MaxPayloadBytes is { } maxPayload && request.PayloadBytes > maxPayload)
        {
            return Refused(new Refusal(RefusalReason.PayloadTooLarge, "max_payload_bytes", $"The request body of {request.PayloadBytes} bytes exceeds the key's limit of {maxPayload}.", 0));
        }

        var limited = _limits!.TryAdmitRequest(now, "API key");
        if (limited is not null)
        {
            return Refused(limited);
        }

        if (now - _lastNoted >= UseResolution)
        {
            _lastNoted = now;
            uses.Note(key.Id, now);
        }

        return new AdmitResult(grant, null);
    }

    public ValueTask<KeyStart> AdmitAndStart(AdmitRequest request, long grantVersion, string requestId, long estimatedTokens)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_key is null || _grant is null)
        {
            return new(UnknownKeyStartAsync(request.ClientAddress));
        }

        var admitted = Decide(request, _key, _grant);
        if (admitted.Refusal is { } refusal)
        {
            return new(KeyStart.NotAdmitted(refusal));
        }

        if (grantVersion != _grant.Version)
        {
            return new(new KeyStart(true, null, _grant));
        }

        return new(_limits!.TryStart(requestId, estimatedTokens, time.GetUtcNow(), "API key") is { } limited ? new KeyStart(true, limited, null) : KeyStart.Started);
    }

    public ValueTask<Refusal?> Start(string requestId, long estimatedTokens) =>
        new(_limits is null
            ? new Refusal(RefusalReason.UnknownKey, "api_key", "The API key is not valid.", 0)
            : _limits.TryStart(requestId, estimatedTokens, time.GetUtcNow(), "API key"));

    public ValueTask Complete(string requestId, long actualTokens)
    {
        _limits?.Complete(requestId, actualTokens, time.GetUtcNow());
        return ValueTask.CompletedTask;
    }

    public Task Refresh() => LoadAsync(CancellationToken.None);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        var key = await session.ApiKeys.FindByHashAsync(Key, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            (_key, _grant, _limits) = (null, null, null);
            return;
        }

        var targets = new[] { (Guid?)key.Id, key.UserId, key.TeamId, key.OrganisationId }.OfType<Guid>().Distinct().ToArray();
        var budgets = new List<Guid>();
        var quotas = new List<QuotaLink>();
        foreach (var target in targets)
        {
            budgets.AddRange((await session.Budgets.ListForTargetAsync(target, cancellationToken).ConfigureAwait(false))
                .Where(b => b.Enabled && b.OrganisationId == key.OrganisationId && Applies(b.Scope, b.TargetId, key)).Select(b => b.Id));
            quotas.AddRange((await session.Quotas.ListForTargetAsync(target, cancellationToken).ConfigureAwait(false))
                .Where(q => q.Enabled && q.OrganisationId == key.OrganisationId && Applies(q.Scope, q.TargetId, key)).Select(q => new QuotaLink(q.Id, q.Unit)));
        }

        // Counters survive a refresh when the limits did not change, so editing a key's name does not reset its windows.
        if (_limits is null || _key is null || !_key.Limits.Equals(key.Limits))
        {
            _limits = new PolicyLimiter(key.Limits);
        }

        _key = key;
        _addresses = AddressRanges.Of(key.Limits);
        var grant = new KeyGrant(
            key.Id, key.Name, key.OrganisationId, key.TeamId, key.UserId, [.. key.ModelGrants], [.. key.McpGrants], key.Limits.MaxTokensPerRequest, key.Limits.MaxPayloadBytes,
            [.. budgets.Distinct()], [.. quotas.Distinct()], 0);
        _grant = grant with { Version = KeyGrant.VersionOf(grant) };
    }

    private static bool Applies(LimitScope scope, Guid target, ApiKey key) => scope switch
    {
        LimitScope.ApiKey => target == key.Id,
        LimitScope.User => target == key.UserId,
        LimitScope.Team => target == key.TeamId,
        LimitScope.Organisation => target == key.OrganisationId,
        _ => false,
    };

    private bool AddressAllowed(string clientAddress) =>
        _addresses.Allows(IPAddress.TryParse(clientAddress, out var address) ? address : null);

    private async Task<AdmitResult> RefuseUnknownAsync(string clientAddress)
    {
        var blockedFor = await GrainFactory.Get<IClientGuardGrain>(clientAddress).RecordFailure().ConfigureAwait(false);
        return Refused(blockedFor > 0
            ? new Refusal(RefusalReason.TooManyFailures, "authentication_failures", "Too many requests with invalid API keys from this address.", blockedFor)
            : new Refusal(RefusalReason.UnknownKey, "api_key", "The API key is not valid.", 0));
    }

    private async Task<KeyStart> UnknownKeyStartAsync(string clientAddress) =>
        KeyStart.NotAdmitted((await RefuseUnknownAsync(clientAddress).ConfigureAwait(false)).Refusal!);

    private static AdmitResult Refused(Refusal refusal) => new(null, refusal);
}
