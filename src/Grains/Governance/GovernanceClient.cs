using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
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
/// The gateway takes stage 2 and the reservations together (<see cref="StartAndReserveAsync"/>), in one round trip on
/// a cluster when the model has no traffic limits; for a key whose grant the client remembers, stage 1 goes in that
/// round too (<see cref="Admission.Provisional"/>). The request id is the reservation id everywhere, so every step is
/// safe to retry. Calls that go out together go in one <see cref="GrainCallBatch"/>: on a cluster, one request to each
/// silo that owns some of them. Grain calls that cannot complete surface as <see cref="ClusterUnavailableException"/>:
/// the caller answers 503 and admits nothing unchecked.
/// </summary>
public sealed class GovernanceClient
{
    private const int MaxReferences = 100_000;

    /// <summary>The most keys whose grants a client remembers before it starts again.</summary>
    internal const int DefaultMaxRememberedKeys = MaxReferences;

    /// <summary>
    /// The most memory, by <see cref="RememberedBytes"/>, that remembered grants may take before the client starts
    /// again: 100,000 keys with a few grants each stay under it; keys that each grant hundreds of models reach it
    /// first.
    /// </summary>
    internal const long DefaultMaxRememberedBytes = 64L * 1024 * 1024;

    /// <summary>Why grain calls are kept in arrays: all are started before any is awaited, and each is consumed once.</summary>
    private const string StartedTogether = "The calls to every limit start together and each is awaited or converted once.";

    private static readonly Refusal KeyChanged =
        new(RefusalReason.KeyChanged, "api_key", "The API key's settings changed while this request was admitted; it must be resolved again.", 0);

    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _blockedAddresses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, KeyGrant> _grants = new(StringComparer.Ordinal);
    private readonly Lock _remembering = new();
    private readonly int _maxRememberedKeys;
    private readonly long _maxRememberedBytes;
    private long _rememberedBytes;
    private readonly ConcurrentDictionary<Guid, IReservationGrain> _budgets = new();
    private readonly ConcurrentDictionary<Guid, IReservationGrain> _quotas = new();
    private readonly ConcurrentDictionary<Guid, IModelLimitGrain> _models = new();
    private readonly Func<Guid, IReservationGrain> _resolveBudget;
    private readonly Func<Guid, IReservationGrain> _resolveQuota;
    private readonly Func<Guid, IModelLimitGrain> _resolveModel;

    public GovernanceClient(IGrainFactory grains, TimeProvider time)
        : this(grains, time, DefaultMaxRememberedKeys, DefaultMaxRememberedBytes)
    {
    }

    /// <summary>As the public constructor, with the bounds on remembered grants set (tests use small ones).</summary>
    internal GovernanceClient(IGrainFactory grains, TimeProvider time, int maxRememberedKeys, long maxRememberedBytes)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRememberedKeys);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRememberedBytes);
        _grains = grains;
        _time = time;
        _maxRememberedKeys = maxRememberedKeys;
        _maxRememberedBytes = maxRememberedBytes;
        _resolveBudget = id => _grains.Get<IBudgetGrain>(id.ToString());
        _resolveQuota = id => _grains.Get<IQuotaGrain>(id.ToString());
        _resolveModel = id => _grains.Get<IModelLimitGrain>(id.ToString());
    }

    /// <summary>
    /// Stage 1. Addresses blocked for failed authentications are refused here without a grain call. With
    /// <paramref name="provisional"/>, a key whose grant this gateway remembers from an earlier admission is not asked
    /// now: the admission carries the remembered grant, and the key decides stage 1 together with stage 2
    /// (<see cref="StartAndReserveAsync"/>), or at <see cref="ConfirmAsync"/> for a request answered before that.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<Admission> AdmitAsync(string? secret, string clientAddress, long payloadBytes, bool provisional = false)
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
        var key = _grains.Get<IApiKeyGrain>(hash);
        var request = new AdmitRequest(clientAddress, payloadBytes);
        if (provisional && _grants.TryGetValue(hash, out var remembered))
        {
            return new Admission(hash, remembered, null) { Key = key, Pending = request };
        }

        var result = await key.Admit(request).ConfigureAwait(false);
        Remember(hash, result.Grant, result.Refusal, clientAddress);
        return new Admission(hash, result.Grant, result.Refusal) { Key = key };
    }

    /// <summary>
    /// Asks the key to decide stage 1 for a <see cref="Admission.Provisional"/> admission, which then holds the key's
    /// answer: refused, or admitted with the grant current now. Does nothing for an admission the key has decided.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ConfirmAsync(Admission admission)
    {
        ArgumentNullException.ThrowIfNull(admission);
        if (!admission.Provisional)
        {
            return;
        }

        var pending = admission.Pending!;
        var result = await KeyOf(admission).Admit(pending).ConfigureAwait(false);
        Remember(admission.KeyHash, result.Grant, result.Refusal, pending.ClientAddress);
        admission.Decide(result.Refusal, result.Grant is { } current && current.Version != admission.Grant!.Version ? current : null);
    }

    /// <summary>
    /// Stage 2 on the key, then on the model; a model refusal gives the key's slot back. A null
    /// <paramref name="modelId"/> skips the model (one without traffic limits: nothing to count).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<Refusal?> StartAsync(Admission admission, Guid? modelId, string requestId, long estimatedTokens)
    {
        ArgumentNullException.ThrowIfNull(admission);
        var key = KeyOf(admission);
        var refusal = await key.Start(requestId, estimatedTokens).ConfigureAwait(false);
        if (refusal is not null || modelId is null)
        {
            return refusal;
        }

        refusal = await Reference(_models, modelId.Value, _resolveModel).Start(requestId, estimatedTokens).ConfigureAwait(false);
        if (refusal is not null)
        {
            await key.Complete(requestId, 0).ConfigureAwait(false);
        }

        return refusal;
    }

    /// <summary>Ends stage 2: frees the concurrency slots and records the actual tokens. Call it for cancelled requests too.</summary>
    [SuppressMessage("Reliability", "CA2012:Use ValueTasks correctly", Justification = StartedTogether)]
    public Task CompleteAsync(Admission admission, Guid? modelId, string requestId, long actualTokens)
    {
        ArgumentNullException.ThrowIfNull(admission);
        using (GrainCallBatch.Start())
        {
            return FreeSlots(KeyOf(admission), modelId is null ? null : Reference(_models, modelId.Value, _resolveModel), requestId, actualTokens);
        }
    }

    /// <summary>
    /// Frees the slots of <paramref name="key"/> and <paramref name="model"/> (either may be null) with the actual tokens,
    /// in the caller's batch; calls that answered already, the usual case in process, cost no task.
    /// </summary>
    [SuppressMessage("Reliability", "CA2012:Use ValueTasks correctly", Justification = StartedTogether)]
    private static Task FreeSlots(IApiKeyGrain? key, IModelLimitGrain? model, string requestId, long actualTokens)
    {
        var keyFreed = key?.Complete(requestId, actualTokens) ?? ValueTask.CompletedTask;
        var modelFreed = model?.Complete(requestId, actualTokens) ?? ValueTask.CompletedTask;
        if (keyFreed.IsCompletedSuccessfully && modelFreed.IsCompletedSuccessfully)
        {
            keyFreed.GetAwaiter().GetResult();
            modelFreed.GetAwaiter().GetResult();
            return Task.CompletedTask;
        }

        return Task.WhenAll(keyFreed.AsTask(), modelFreed.AsTask());
    }

    /// <summary>
    /// Reserves the worst-case cost on every budget and the request's units on every quota of the key, all at once.
    /// If any refuses, what the others took is released and the refusal names the limit. Null when all hold.
    /// </summary>
    public ValueTask<Refusal?> ReserveAsync(KeyGrant grant, string requestId, decimal worstCaseCost, long estimatedTokens, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return StartTogetherAsync(grant, null, null, null, null, requestId, worstCaseCost, estimatedTokens, lifetime);
    }

    /// <summary>
    /// Stage 2 and the reservations of <see cref="ReserveAsync"/> in as few rounds as they allow: what the gateway calls
    /// for every attempt. For a model without traffic limits (a null <paramref name="modelId"/>) the key's stage 2 and
    /// every reservation go out together, one round trip on a cluster. A model with traffic limits counts requests in
    /// windows that a completion does not give back, and other keys share them, so then the key goes first on its
    /// own and the model's stage 2 goes with the reservations, in one round: a key over its own limits never takes a
    /// count on the model. The earlier stage's refusal is the one reported: the key's, then the model's, then a
    /// budget's or a quota's. Whatever refuses, nothing is left held: what the budgets and quotas took and the slots the
    /// key and the model gave are given back, in one batch, before this returns. When it returns null the slots are the
    /// caller's to free with <see cref="CompleteAsync"/> and the reservations to settle or release.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<Refusal?> StartAndReserveAsync(Admission admission, Guid? modelId, string requestId, decimal worstCaseCost, long estimatedTokens, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(admission);
        var grant = admission.Grant ?? throw new ArgumentException("The request was not admitted.", nameof(admission));
        var key = KeyOf(admission);
        var provisional = admission.Provisional ? admission : null;
        if (modelId is null)
        {
            return await StartTogetherAsync(grant, key, provisional, null, null, requestId, worstCaseCost, estimatedTokens, lifetime).ConfigureAwait(false);
        }

        var refusal = provisional is null
            ? await key.Start(requestId, estimatedTokens).ConfigureAwait(false)
            : Decided(provisional, await key.AdmitAndStart(provisional.Pending!, grant.Version, requestId, estimatedTokens).ConfigureAwait(false));
        return refusal ?? await StartTogetherAsync(grant, null, null, key, modelId, requestId, worstCaseCost, estimatedTokens, lifetime).ConfigureAwait(false);
    }

    /// <summary>
    /// One round: the key's stage 2 when <paramref name="key"/> is given (with stage 1 for a
    /// <paramref name="provisional"/> admission), the model's when <paramref name="modelId"/> is, and every reservation,
    /// in one batch. Refusals rank key, model, limits. Any refusal or failure releases what the limits hold; a refusal
    /// also frees the slots taken, this round's and <paramref name="keyStarted"/>'s (a key started in an earlier round).
    /// After a failure which slots were taken is not known: the caller frees them, as it frees every attempt's.
    /// </summary>
    [SuppressMessage("Reliability", "CA2012:Use ValueTasks correctly", Justification = StartedTogether)]
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Refusal?> StartTogetherAsync(KeyGrant grant, IApiKeyGrain? key, Admission? provisional, IApiKeyGrain? keyStarted, Guid? modelId, string requestId, decimal worstCaseCost, long estimatedTokens, TimeSpan lifetime)
    {
        var ttl = (int)Math.Ceiling(lifetime.TotalSeconds);
        var limits = LimitsOf(grant);
        var replies = new ValueTask<ReservationReply>[limits.Length];
        var keyStart = new ValueTask<Refusal?>((Refusal?)null);
        var keyAdmitStart = default(ValueTask<KeyStart>);
        var modelStart = new ValueTask<Refusal?>((Refusal?)null);
        using (GrainCallBatch.Start())
        {
            if (key is not null && provisional is not null)
            {
                keyAdmitStart = key.AdmitAndStart(provisional.Pending!, grant.Version, requestId, estimatedTokens);
            }
            else if (key is not null)
            {
                keyStart = key.Start(requestId, estimatedTokens);
            }

            if (modelId is { } id)
            {
                modelStart = Reference(_models, id, _resolveModel).Start(requestId, estimatedTokens);
            }

            for (var i = 0; i < limits.Length; i++)
            {
                replies[i] = limits[i].Grain.Reserve(requestId, limits[i].IsBudget ? worstCaseCost : Units(limits[i].Unit, estimatedTokens), ttl);
            }
        }

        // All were started before any is awaited, so they run at once; those that answered already cost no task.
        ExceptionDispatchInfo? failure = null;
        Refusal? keyRefusal = null, modelRefusal = null;
        try
        {
            keyRefusal = provisional is null ? await keyStart.ConfigureAwait(false) : Decided(provisional, await keyAdmitStart.ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            failure = ExceptionDispatchInfo.Capture(ex);
        }

        try
        {
            modelRefusal = await modelStart.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failure ??= ExceptionDispatchInfo.Capture(ex);
        }

        var answers = new ReservationReply?[limits.Length];
        for (var i = 0; i < replies.Length; i++)
        {
            try
            {
                answers[i] = await replies[i].ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                failure ??= ExceptionDispatchInfo.Capture(ex);
            }
        }

        if (failure is not null)
        {
            await GiveBackAsync(limits, answers, requestId, null, null).ConfigureAwait(false);
            failure.Throw();
        }

        // The slots taken, to give back with the holds if anything refuses.
        var keySlot = key is not null && keyRefusal is null ? key : keyStarted;
        var modelSlot = modelId is { } model && modelRefusal is null ? Reference(_models, model, _resolveModel) : null;
        var stageRefusal = keyRefusal ?? modelRefusal;
        if (stageRefusal is not null)
        {
            await GiveBackAsync(limits, answers, requestId, keySlot, modelSlot).ConfigureAwait(false);
            return stageRefusal;
        }

        var refused = Array.FindIndex(answers, reply => reply!.Outcome == ReservationOutcome.Refused);
        if (refused < 0)
        {
            return null;
        }

        await GiveBackAsync(limits, answers, requestId, keySlot, modelSlot).ConfigureAwait(false);
        var answer = answers[refused]!;
        return limits[refused].IsBudget
            ? new Refusal(RefusalReason.BudgetExceeded, answer.Limit, $"The {answer.Limit} has {answer.Remaining} left in this period; this request may cost up to {worstCaseCost}.", answer.RetryAfterMs)
            : new Refusal(RefusalReason.QuotaExceeded, answer.Limit, $"The {answer.Limit} has {answer.Remaining} left in this period.", answer.RetryAfterMs);
    }

    /// <summary>Charges what the request really cost and used to every budget and quota of the key.</summary>
    [SuppressMessage("Reliability", "CA2012:Use ValueTasks correctly", Justification = StartedTogether)]
    public Task SettleAsync(KeyGrant grant, string requestId, decimal actualCost, bool served, long actualTokens)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var limits = LimitsOf(grant);
        var settles = new ValueTask<ReservationReply>[limits.Length];
        using (GrainCallBatch.Start())
        {
            for (var i = 0; i < limits.Length; i++)
            {
                var limit = limits[i];
                settles[i] = limit.Grain.Settle(requestId, limit.IsBudget ? actualCost : limit.Unit == QuotaUnit.Requests ? (served ? 1 : 0) : actualTokens);
            }
        }

        return WhenAll(settles);
    }

    /// <summary>Frees every reservation of the request unspent (it never reached a provider).</summary>
    [SuppressMessage("Reliability", "CA2012:Use ValueTasks correctly", Justification = StartedTogether)]
    public Task ReleaseAsync(KeyGrant grant, string requestId)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var limits = LimitsOf(grant);
        var releases = new ValueTask<ReservationReply>[limits.Length];
        using (GrainCallBatch.Start())
        {
            for (var i = 0; i < limits.Length; i++)
            {
                releases[i] = limits[i].Grain.Release(requestId);
            }
        }

        return WhenAll(releases);
    }

    /// <summary>
    /// Records the key's answer to <see cref="IApiKeyGrain.AdmitAndStart"/> on the provisional admission and returns
    /// what to report: stage 1's refusal, <see cref="KeyChanged"/> when the grant was out of date (stage 2 was not
    /// started), or stage 2's refusal.
    /// </summary>
    private Refusal? Decided(Admission provisional, KeyStart verdict)
    {
        var clientAddress = provisional.Pending!.ClientAddress;
        if (!verdict.Admitted)
        {
            Remember(provisional.KeyHash, null, verdict.Refusal, clientAddress);
            provisional.Decide(verdict.Refusal, null);
            return verdict.Refusal;
        }

        provisional.Decide(null, verdict.Changed);
        if (verdict.Changed is { } current)
        {
            Remember(provisional.KeyHash, current, null, clientAddress);
            return KeyChanged;
        }

        return verdict.Refusal;
    }

    /// <summary>
    /// Keeps the grant of a key the key admitted, for provisional admissions, and forgets a key it refused, so that a
    /// revoked or expired key is asked before its body is read again; an address refused for too many failures is
    /// blocked here too. Past as many keys, or as much memory by <see cref="RememberedBytes"/>, as the client may
    /// remember, the memory starts again. Reading a remembered grant takes no lock; changing what is remembered (a
    /// key's first admission here, a changed grant, a refusal) takes one, so the memory's size is counted exactly.
    /// </summary>
    private void Remember(string hash, KeyGrant? grant, Refusal? refusal, string clientAddress)
    {
        if (grant is null)
        {
            if (_grants.ContainsKey(hash))
            {
                lock (_remembering)
                {
                    if (_grants.TryRemove(hash, out var forgotten))
                    {
                        _rememberedBytes -= RememberedBytes(hash, forgotten);
                    }
                }
            }

            if (refusal is { Reason: RefusalReason.TooManyFailures })
            {
                Block(clientAddress, refusal.RetryAfterMs);
            }

            return;
        }

        if (_grants.TryGetValue(hash, out var known) && known.Version == grant.Version)
        {
            return;
        }

        var bytes = RememberedBytes(hash, grant);
        lock (_remembering)
        {
            if (_grants.TryRemove(hash, out var replaced))
            {
                _rememberedBytes -= RememberedBytes(hash, replaced);
            }

            if (_grants.Count >= _maxRememberedKeys || _rememberedBytes + bytes > _maxRememberedBytes)
            {
                _grants.Clear();
                _rememberedBytes = 0;
            }

            _grants[hash] = grant;
            _rememberedBytes += bytes;
        }
    }

    /// <summary>
    /// About what remembering <paramref name="grant"/> under <paramref name="hash"/> costs in memory: the dictionary's
    /// entry, the hash's string and the grant's record and arrays. An estimate, for the bound, not a measurement.
    /// </summary>
    internal static long RememberedBytes(string hash, KeyGrant grant) =>
        320
        + (2L * hash.Length)
        + (2L * grant.KeyName.Length)
        + (16L * (grant.ModelGrants.Length + grant.McpGrants.Length + grant.BudgetIds.Length))
        + (48L * grant.Quotas.Length);

    private IApiKeyGrain KeyOf(Admission admission) => admission.Key ?? _grains.Get<IApiKeyGrain>(admission.KeyHash);

    /// <summary>The grant's budgets, then its quotas, as grain references.</summary>
    private Limit[] LimitsOf(KeyGrant grant)
    {
        var limits = new Limit[grant.BudgetIds.Length + grant.Quotas.Length];
        for (var i = 0; i < grant.BudgetIds.Length; i++)
        {
            limits[i] = new Limit(Reference(_budgets, grant.BudgetIds[i], _resolveBudget), true, QuotaUnit.Requests);
        }

        for (var i = 0; i < grant.Quotas.Length; i++)
        {
            limits[grant.BudgetIds.Length + i] = new Limit(Reference(_quotas, grant.Quotas[i].Id, _resolveQuota), false, grant.Quotas[i].Unit);
        }

        return limits;
    }

    /// <summary>
    /// A grain reference is a few immutable fields, so one per budget, quota or model is kept rather than one made per
    /// call (with its key's string). Budgets are shared by many keys and are few; past <see cref="MaxReferences"/> of
    /// one kind (limits deleted and created over months), the kind's cache starts again.
    /// </summary>
    private static TGrain Reference<TGrain>(ConcurrentDictionary<Guid, TGrain> cache, Guid id, Func<Guid, TGrain> resolve)
    {
        if (cache.TryGetValue(id, out var grain))
        {
            return grain;
        }

        if (cache.Count >= MaxReferences)
        {
            cache.Clear();
        }

        return cache.GetOrAdd(id, resolve);
    }

    private static decimal Units(QuotaUnit unit, long estimatedTokens) => unit == QuotaUnit.Requests ? 1 : estimatedTokens;

    /// <summary>
    /// Releases every limit that may hold something (<paramref name="answers"/> null where the answer was lost), and frees
    /// the slots of <paramref name="key"/> and <paramref name="model"/> when given, in one batch. Each is idempotent.
    /// </summary>
    [SuppressMessage("Reliability", "CA2012:Use ValueTasks correctly", Justification = StartedTogether)]
    private static Task GiveBackAsync(Limit[] limits, ReservationReply?[] answers, string requestId, IApiKeyGrain? key, IModelLimitGrain? model)
    {
        var releases = new List<ValueTask<ReservationReply>>(limits.Length);
        Task freed;
        using (GrainCallBatch.Start())
        {
            freed = FreeSlots(key, model, requestId, 0);
            for (var i = 0; i < limits.Length; i++)
            {
                if (answers[i] is not { } answer || answer.Held)
                {
                    releases.Add(limits[i].Grain.Release(requestId));
                }
            }
        }

        var released = WhenAll([.. releases]);
        return freed.IsCompletedSuccessfully ? released : Task.WhenAll(released, freed);
    }

    /// <summary>Completes when every call has; calls that answered already, the usual case in process, cost no task.</summary>
    private static Task WhenAll(ValueTask<ReservationReply>[] calls)
    {
        foreach (var call in calls)
        {
            if (!call.IsCompletedSuccessfully)
            {
                return Task.WhenAll(calls.Select(c => c.AsTask()));
            }
        }

        return Task.CompletedTask;
    }

    private Refusal Block(string clientAddress, long milliseconds)
    {
        _blockedAddresses[clientAddress] = _time.GetUtcNow() + TimeSpan.FromMilliseconds(milliseconds);
        return TooManyFailures(milliseconds);
    }

    private static Refusal TooManyFailures(long milliseconds) =>
        new(RefusalReason.TooManyFailures, "authentication_failures", "Too many requests with invalid API keys from this address.", milliseconds);

    /// <summary>One budget or quota of a grant: where to reserve, and what to count.</summary>
    private readonly record struct Limit(IReservationGrain Grain, bool IsBudget, QuotaUnit Unit);
}
