using System.Collections.Concurrent;
using Odock.Cluster;
using Odock.Domain.ApiKeys;
using Odock.Domain.Common;
using Odock.Domain.Quotas;
using Odock.Grains.ApiKeys;
using Odock.Grains.Budgets;
using Odock.Grains.Limits;
using Odock.Grains.Quotas;

namespace Odock.Grains.Governance;

/// <summary>
/// The gateway's side of governance, in request order: <see cref="AdmitAsync"/> (stage 1), <see cref="StartAsync"/>
/// (stage 2: tokens and concurrency on the key and the model), <see cref="ReserveAsync"/> (every budget and quota,
/// all or nothing), then <see cref="SettleAsync"/> or <see cref="ReleaseAsync"/>, and <see cref="CompleteAsync"/>.
/// The request id is the reservation id everywhere, so every step is safe to retry. Grain calls that cannot complete
/// surface as <see cref="ClusterUnavailableException"/>: the caller answers 503 and admits nothing unchecked.
/// </summary>
public sealed class GovernanceClient
{
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _blockedAddresses = new(StringComparer.Ordinal);

    public GovernanceClient(IGrainFactory grains, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(time);
        _grains = grains;
        _time = time;
    }

    /// <summary>Stage 1. Addresses blocked for failed authentications are refused here without a grain call.</summary>
    public async Task<Admission> AdmitAsync(string? secret, string clientAddress, long payloadBytes)
    {
        ArgumentNullException.ThrowIfNull(clientAddress);
        if (_blockedAddresses.TryGetValue(clientAddress, out var until))
        {
            var left = until - _time.GetUtcNow();
            if (left > TimeSpan.Zero)
            {
                return new Admission("", null, TooManyFailures((long)Math.Ceiling(left.TotalMilliseconds)));
            }

            _blockedAddresses.TryRemove(clientAddress, out _);
        }

        if (!SecretToken.HasShape(secret, ApiKey.SecretPrefix))
        {
            var blockedFor = await _grains.Get<IClientGuardGrain>(clientAddress).RecordFailure().ConfigureAwait(false);
            return new Admission("", null, blockedFor > 0 ? Block(clientAddress, blockedFor) : new Refusal(RefusalReason.UnknownKey, "api_key", "The API key is missing or malformed.", 0));
        }

        var hash = SecretToken.Hash(secret!);
        var result = await _grains.Get<IApiKeyGrain>(hash).Admit(new AdmitRequest(clientAddress, payloadBytes)).ConfigureAwait(false);
        if (result.Refusal is { Reason: RefusalReason.TooManyFailures } refusal)
        {
            Block(clientAddress, refusal.RetryAfterMs);
        }

        return new Admission(hash, result.Grant, result.Refusal);
    }

    /// <summary>
    /// Stage 2 on the key, then on the model; a model refusal gives the key's slot back. A null
    /// <paramref name="modelId"/> skips the model (one without traffic limits: nothing to count).
    /// </summary>
    public async Task<Refusal?> StartAsync(Admission admission, Guid? modelId, string requestId, long estimatedTokens)
    {
        ArgumentNullException.ThrowIfNull(admission);
        var key = _grains.Get<IApiKeyGrain>(admission.KeyHash);
        var refusal = await key.Start(requestId, estimatedTokens).ConfigureAwait(false);
        if (refusal is not null || modelId is null)
        {
            return refusal;
        }

        refusal = await _grains.Get<IModelLimitGrain>(modelId.Value.ToString()).Start(requestId, estimatedTokens).ConfigureAwait(false);
        if (refusal is not null)
        {
            await key.Complete(requestId, 0).ConfigureAwait(false);
        }

        return refusal;
    }

    /// <summary>Ends stage 2: frees the concurrency slots and records the actual tokens. Call it for cancelled requests too.</summary>
    public async Task CompleteAsync(Admission admission, Guid? modelId, string requestId, long actualTokens)
    {
        ArgumentNullException.ThrowIfNull(admission);
        var key = _grains.Get<IApiKeyGrain>(admission.KeyHash).Complete(requestId, actualTokens);
        var model = modelId is null ? Task.CompletedTask : _grains.Get<IModelLimitGrain>(modelId.Value.ToString()).Complete(requestId, actualTokens);
        await Task.WhenAll(key, model).ConfigureAwait(false);
    }

    /// <summary>
    /// Reserves the worst-case cost on every budget and the request's units on every quota of the key, all at once.
    /// If any refuses, what the others took is released and the refusal names the limit. Null when all hold.
    /// </summary>
    public async Task<Refusal?> ReserveAsync(KeyGrant grant, string requestId, decimal worstCaseCost, long estimatedTokens, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var ttl = (int)Math.Ceiling(lifetime.TotalSeconds);
        var calls = Limits(grant)
            .Select(limit => (limit.Grain, limit.IsBudget, Reply: limit.Grain.Reserve(requestId, limit.IsBudget ? worstCaseCost : Units(limit.Unit, estimatedTokens), ttl)))
            .ToArray();
        try
        {
            await Task.WhenAll(calls.Select(c => c.Reply)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            await ReleaseHeldAsync(calls, requestId).ConfigureAwait(false);
            throw;
        }

        var refused = calls.FirstOrDefault(c => c.Reply.Result.Outcome == ReservationOutcome.Refused);
        if (refused.Grain is null)
        {
            return null;
        }

        await ReleaseHeldAsync(calls, requestId).ConfigureAwait(false);
        var reply = refused.Reply.Result;
        return refused.IsBudget
            ? new Refusal(RefusalReason.BudgetExceeded, reply.Limit, $"The {reply.Limit} has {reply.Remaining} left in this period; this request may cost up to {worstCaseCost}.", reply.RetryAfterMs)
            : new Refusal(RefusalReason.QuotaExceeded, reply.Limit, $"The {reply.Limit} has {reply.Remaining} left in this period.", reply.RetryAfterMs);
    }

    /// <summary>Charges what the request really cost and used to every budget and quota of the key.</summary>
    public Task SettleAsync(KeyGrant grant, string requestId, decimal actualCost, bool served, long actualTokens)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return Task.WhenAll(Limits(grant).Select(limit => limit.Grain.Settle(
            requestId,
            limit.IsBudget ? actualCost : limit.Unit == QuotaUnit.Requests ? (served ? 1 : 0) : actualTokens)));
    }

    /// <summary>Frees every reservation of the request unspent (it never reached a provider).</summary>
    public Task ReleaseAsync(KeyGrant grant, string requestId)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return Task.WhenAll(Limits(grant).Select(limit => limit.Grain.Release(requestId)));
    }

    private IEnumerable<(IReservationGrain Grain, bool IsBudget, QuotaUnit Unit)> Limits(KeyGrant grant) =>
        grant.BudgetIds.Select(id => ((IReservationGrain)_grains.Get<IBudgetGrain>(id.ToString()), true, QuotaUnit.Requests))
            .Concat(grant.Quotas.Select(q => ((IReservationGrain)_grains.Get<IQuotaGrain>(q.Id.ToString()), false, q.Unit)));

    private static decimal Units(QuotaUnit unit, long estimatedTokens) => unit == QuotaUnit.Requests ? 1 : estimatedTokens;

    private static async Task ReleaseHeldAsync((IReservationGrain Grain, bool IsBudget, Task<ReservationReply> Reply)[] calls, string requestId)
    {
        // Release every limit that may hold something, including those whose answer was lost: releasing is idempotent.
        var releases = calls.Where(c => !c.Reply.IsCompletedSuccessfully || c.Reply.Result.Held).Select(c => c.Grain.Release(requestId));
        await Task.WhenAll(releases).ConfigureAwait(false);
    }

    private Refusal Block(string clientAddress, long milliseconds)
    {
        _blockedAddresses[clientAddress] = _time.GetUtcNow() + TimeSpan.FromMilliseconds(milliseconds);
        return TooManyFailures(milliseconds);
    }

    private static Refusal TooManyFailures(long milliseconds) =>
        new(RefusalReason.TooManyFailures, "authentication_failures", "Too many requests with invalid API keys from this address.", milliseconds);
}
