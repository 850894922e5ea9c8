using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Odock.Domain.Models;
using Odock.Gateway.Chat;
using Odock.Gateway.Errors;
using Odock.Gateway.Families;
using Odock.Gateway.Providers;
using Odock.Gateway.Resolution;
using Odock.Gateway.Routing;
using Odock.Gateway.Usage;
using Odock.Grains.ApiKeys;
using Odock.Grains.Catalog;

namespace Odock.Gateway.Pipeline;

/// <summary>
/// <c>POST /odock/v1/chat</c>: the governed chat of <see cref="ChatPipeline"/> over an ordered list of models. Every
/// model named is resolved and checked against the key's grants (<see cref="ModelResolver"/>) before anything is sent.
/// Then each is tried in turn as its own <see cref="CallGovernor"/> attempt (stage-2 limits, a reservation of that
/// model's worst case, the call, settlement at that model's prices, slots freed), until one answers or fails in a way
/// the next cannot help: a failure moves on only when the provider failed, timed out, could not be reached or rate
/// limited, and nothing has reached the client yet. The request gets one ledger row: the model tried last, the cost of
/// every attempt, and the attempts as routing.
/// </summary>
internal sealed partial class FallbackChatPipeline(
    RequestGate gate,
    ModelResolver resolver,
    CallGovernor governor,
    ProviderRegistry providers,
    UsageRecorder usage,
    GatewayOptions options,
    TimeProvider time,
    ILogger<FallbackChatPipeline> logger)
{
    public Task HandleAsync(HttpContext context) =>
        gate.PassAsync(context, OdockChatSurface.Instance, [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))] async ValueTask (call, body) =>
        {
            var (parsed, parseError) = OdockChatParser.Parse(body);
            if (parseError is not null)
            {
                await gate.RefuseAsync(context, call, parseError).ConfigureAwait(false);
                return;
            }

            call.RequestedModel = parsed!.Chat.Model;
            call.Streamed = parsed.Chat.Stream;
            await gate.ResolveAndRunAsync(
                context,
                call,
                parsed,
                (request, grant) => ResolveAllAsync(call, grant, request, context.RequestAborted),
                (request, resolved, candidates) => TryInOrderAsync(context, resolved, request.Chat, candidates)).ConfigureAwait(false);
        }, provisional: true);

    /// <summary>False when the key decided a provisional admission otherwise at the first attempt (<see cref="GovernedAttempt.Readmit"/>).</summary>
    private async ValueTask<bool> TryInOrderAsync(HttpContext context, GatewayCall call, ChatRequest request, IReadOnlyList<ResolvedModel> candidates)
    {
        var attempts = new List<RoutingAttempt>(candidates.Count);
        var cost = 0m;
        for (var i = 0; i < candidates.Count; i++)
        {
            var target = candidates[i];
            call.Target = target;
            var isLast = i == candidates.Count - 1;
            var attemptId = i == 0 ? call.RequestId : $"{call.RequestId}.{i + 1}";
            var started = Stopwatch.GetTimestamp();
            RetriableFailureSink? holding = null;
            var plan = CallPlan.ForChat(request, call.Grant, target.Model, options, call.OccurredAt);
            var attempt = await governor.AttemptAsync(context, call, attemptId, plan, () =>
            {
                IChatSink sink = new OdockChatSink(context, call.RequestId, target, [.. attempts], call.OccurredAt, time);
                if (!isLast)
                {
                    sink = holding = new RetriableFailureSink(sink);
                }

                var adapter = providers.ChatFor(target.Provider.Type, request.Family)!;
                return ChatForwarder.SendAsync(adapter, new ChatCall(request, target, call.RequestId, plan.OutputLimit, plan.HostedToolLimit), sink, context.RequestAborted);
            }).ConfigureAwait(false);

            if (attempt.Readmitted)
            {
                // Only the first attempt can be: the key has decided the admission by the second.
                return false;
            }

            if (attempt.Refusal is { } refusal)
            {
                // Earlier attempts were sent and charged; the refused one was not, and the row says both.
                await call.Surface.WriteErrorAsync(context, refusal).ConfigureAwait(false);
                await RecordAsync(call, refusal.Status, refusal.Code, default, cost, null, attempts).ConfigureAwait(false);
                return true;
            }

            var outcome = attempt.Outcome!;
            attempts.Add(new RoutingAttempt(target.Model.Name, target.Provider.Name, outcome.Status, outcome.ErrorCode, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds));
            cost += attempt.Cost!.Total;
            if (holding?.HeldBack != true)
            {
                await RecordAsync(call, outcome.Status, outcome.ErrorCode, outcome.Usage, cost, outcome.ProviderUsageJson, attempts).ConfigureAwait(false);
                return true;
            }

            LogFallingBack(call.RequestId, target.Model.Name, outcome.Status);
        }

        return true;
    }

    /// <summary>Every model named, resolved and granted, in order; the first that is not stops the request before any call.</summary>
    private async ValueTask<(IReadOnlyList<ResolvedModel>? Candidates, GatewayError? Error)> ResolveAllAsync(GatewayCall call, KeyGrant grant, OdockChatRequest request, CancellationToken cancellationToken)
    {
        var candidates = new List<ResolvedModel>(request.Models.Count);
        for (var i = 0; i < request.Models.Count; i++)
        {
            var param = request.Models.Count == 1 ? "model" : $"models[{i}]";
            var (target, error) = await resolver.ResolveAsync(call, grant, request.Models[i], (model, provider) => Check(grant, request.Chat, model, provider, param), cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                // The resolver names the client's "model" field; here the model is one entry of the list.
                return (null, error.Param == "model" ? error with { Param = param } : error);
            }

            candidates.Add(target!);
        }

        return (candidates, null);
    }

    private GatewayError? Check(KeyGrant grant, ChatRequest request, CatalogModel model, CatalogProvider? provider, string param)
    {
        if (CallPlan.CheckOutputLimit(request, grant, model, "max_output_tokens") is { } tooMuch)
        {
            return tooMuch;
        }

        return provider is null || providers.ChatFor(provider.Type, request.Family) is null
            ? new GatewayError(501, "provider_not_supported", $"The model '{model.Name}' is served by a provider this gateway cannot call for chat yet.", param)
            : null;
    }

    private ValueTask RecordAsync(GatewayCall call, int status, string? errorCode, TokenUsage tokens, decimal cost, string? providerUsage, IReadOnlyList<RoutingAttempt> attempts) =>
        usage.RecordAsync(call.ToRecord(status, errorCode, tokens, RequestGate.NoCost(call), providerUsage) with
        {
            Cost = cost,
            RoutingJson = attempts.Count == 0 ? null : RoutingAttempt.ToJson(attempts),
            RoutingAttempts = attempts.Count == 0 ? null : attempts.Count,
        }, CancellationToken.None);
}
