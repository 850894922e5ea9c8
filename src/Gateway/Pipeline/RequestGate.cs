using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Odock.Cluster;
using Odock.Domain.Common;
using Odock.Domain.Models;
using Odock.Gateway.Auth;
using Odock.Gateway.Errors;
using Odock.Gateway.Families;
using Odock.Gateway.Usage;
using Odock.Grains.ApiKeys;
using Odock.Grains.Governance;

namespace Odock.Gateway.Pipeline;

/// <summary>
/// The first stage every governed endpoint shares: give the request its id (<c>x-request-id</c>), refuse bodies over
/// the limit, admit the key (stage 1), read the body within the limit, and refuse a body that is not UTF-8 text
/// (<see cref="RequestText"/>). Only an admitted request reaches the next stage, and from then on every refusal is
/// written to the ledger too. A governance cluster that cannot be reached at any stage is answered 503 in the
/// surface's shape, with nothing sent upstream.
/// </summary>
internal sealed partial class RequestGate(GovernanceClient governance, UsageRecorder usage, GatewayOptions options, TimeProvider time, ILogger<RequestGate> logger)
{
    private const string RequestIdPrefix = "req_";

    public Task PassAsync(HttpContext context, IApiSurface surface, Func<GatewayCall, ReadOnlyMemory<byte>, ValueTask> next, bool provisional = false) =>
        PassAsync(context, surface, next, static (next, call, body) => next(call, body), provisional);

    /// <summary>
    /// As above, with the next stage's <paramref name="state"/> passed to it rather than captured, so a hot endpoint
    /// makes no closure. With <paramref name="provisional"/>, a key whose grant this gateway remembers is not asked
    /// before the body is read: the call goes on with the remembered grant, and the key decides stage 1 with stage 2
    /// (<see cref="GovernanceClient.StartAndReserveAsync"/>), or before any other answer (<see cref="ConfirmAsync"/>).
    /// </summary>
    public async Task PassAsync<TState>(HttpContext context, IApiSurface surface, TState state, Func<TState, GatewayCall, ReadOnlyMemory<byte>, ValueTask> next, bool provisional = false)
    {
        var started = Stopwatch.GetTimestamp();
        var occurredAt = time.GetUtcNow();
        // Time-ordered (UUID version 7), like the ledger row's id: see GatewayCall.ToRecord.
        var requestId = RequestId(TimeOrderedId.Create(occurredAt));
        context.Response.Headers["x-request-id"] = requestId;
        try
        {
            var declared = context.Request.ContentLength ?? 0;
            if (declared > options.MaxBodyBytes)
            {
                await surface.WriteErrorAsync(context, TooLarge(options.MaxBodyBytes)).ConfigureAwait(false);
                return;
            }

            var admission = await governance.AdmitAsync(ApiKeyExtractor.Extract(context.Request), ClientAddress(context), declared, provisional).ConfigureAwait(false);
            if (admission.Grant is null)
            {
                await surface.WriteErrorAsync(context, GatewayError.From(admission.Refusal!)).ConfigureAwait(false);
                return;
            }

            var call = new GatewayCall(surface, requestId, occurredAt, started, admission) { ClientAddress = context.Connection.RemoteIpAddress };
            // The key checked the declared length; a body sent in chunks declares none, so its own limit holds here too.
            var keyLimit = admission.Grant.MaxPayloadBytes ?? long.MaxValue;
            var (body, unreadable) = await RequestBody.ReadAsync(context.Request, Math.Min(keyLimit, options.MaxBodyBytes), context.RequestAborted).ConfigureAwait(false);
            if (unreadable is not null)
            {
                await RefuseAsync(context, call, unreadable).ConfigureAwait(false);
                return;
            }

            if (body is null)
            {
                await RefuseAsync(context, call, keyLimit < options.MaxBodyBytes ? KeyTooLarge(keyLimit) : TooLarge(options.MaxBodyBytes)).ConfigureAwait(false);
                return;
            }

            call.BodyBytes = body.Length;

            if (RequestText.Check(body) is { } notText)
            {
                await RefuseAsync(context, call, notText).ConfigureAwait(false);
                return;
            }

            await next(state, call, body).ConfigureAwait(false);
        }
        catch (ClusterUnavailableException ex)
        {
            LogGovernanceUnavailable(requestId, ex.Message);
            await surface.WriteErrorAsync(context, GatewayError.ClusterUnavailable()).ConfigureAwait(false);
        }
    }

    /// <summary>Answers an admitted request with an error and writes its ledger row: no tokens, no cost.</summary>
    public async Task RefuseAsync(HttpContext context, GatewayCall call, GatewayError error)
    {
        if (!await ConfirmAsync(context, call).ConfigureAwait(false))
        {
            return;
        }

        await call.Surface.WriteErrorAsync(context, error).ConfigureAwait(false);
        await RecordUnchargedAsync(call, error.Status, error.Code).ConfigureAwait(false);
    }

    /// <summary>
    /// Has the key decide stage 1 for a provisional admission before the request is answered any other way, so that a
    /// key refused now (revoked, expired, over its request windows) gets that refusal, and no ledger row, as if it
    /// had been asked first. False when the key refused; the refusal has been answered. True at once for an admission
    /// the key has decided.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> ConfirmAsync(HttpContext context, GatewayCall call)
    {
        if (call.Admission.Provisional)
        {
            await governance.ConfirmAsync(call.Admission).ConfigureAwait(false);
        }

        if (call.Admission.Admitted)
        {
            return true;
        }

        await call.Surface.WriteErrorAsync(context, GatewayError.From(call.Admission.Refusal!)).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// Resolves what the call is for with its grant (<paramref name="resolve"/>) and runs it (<paramref name="run"/>),
    /// keeping to the key's word on a provisional admission. A resolution error is answered only once the key has
    /// decided stage 1, and with the grant the key has now. When <paramref name="run"/> returns false (the key decided
    /// the admission otherwise: <see cref="GovernedAttempt.Readmit"/>), the key's refusal is answered, or the call is
    /// resolved again with the key's current grant and run again, at most once more, since the key has now decided.
    /// A target for which <paramref name="decideFirst"/> holds (a call that takes no stage 2, so would reach a provider
    /// without the key's word) is run only once the key has decided, in the same way as an error.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ResolveAndRunAsync<TState, TTarget>(
        HttpContext context,
        GatewayCall call,
        TState state,
        Func<TState, KeyGrant, ValueTask<(TTarget? Target, GatewayError? Error)>> resolve,
        Func<TState, GatewayCall, TTarget, ValueTask<bool>> run,
        Func<TState, TTarget, bool>? decideFirst = null)
    {
        while (true)
        {
            var grant = call.Grant;
            var (target, error) = await resolve(state, grant).ConfigureAwait(false);
            if (error is not null || (decideFirst is not null && decideFirst(state, target!)))
            {
                if (!await ConfirmAsync(context, call).ConfigureAwait(false))
                {
                    return;
                }

                if (!ReferenceEquals(grant, call.Grant))
                {
                    continue;
                }

                if (error is not null)
                {
                    await RefuseAsync(context, call, error).ConfigureAwait(false);
                    return;
                }
            }

            if (await run(state, call, target!).ConfigureAwait(false) || !await ConfirmAsync(context, call).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>The ledger row of a call that costs nothing by design (a token count) or was refused.</summary>
    public ValueTask RecordUnchargedAsync(GatewayCall call, int status, string? errorCode) =>
        usage.RecordAsync(call.ToRecord(status, errorCode, default, NoCost(call), null), CancellationToken.None);

    public static CostBreakdown NoCost(GatewayCall call) => new(call.Target?.Model.Pricing.Currency ?? "USD", 0, 0, 0, 0, 0, 0, 0, 0);

    private static GatewayError TooLarge(long limit) => new(413, "payload_too_large", $"The request body exceeds {limit} bytes.");

    private static GatewayError KeyTooLarge(long limit) => new(413, "payload_too_large", $"The request body exceeds the key's limit of {limit} bytes.", "max_payload_bytes");

    /// <summary><c>req_</c> and the id's 32 hex digits, spelled into one string.</summary>
    internal static string RequestId(Guid id) =>
        string.Create(RequestIdPrefix.Length + 32, id, static (chars, id) =>
        {
            RequestIdPrefix.CopyTo(chars);
            id.TryFormat(chars[RequestIdPrefix.Length..], out _, "N");
        });

    private static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} refused with 503: the governance cluster is unavailable ({Reason})")]
    private partial void LogGovernanceUnavailable(string requestId, string reason);
}
