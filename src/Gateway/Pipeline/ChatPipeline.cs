using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Odock.Domain.Providers;
using Odock.Gateway.Chat;
using Odock.Gateway.Errors;
using Odock.Gateway.Families;
using Odock.Gateway.Providers;
using Odock.Gateway.Resolution;
using Odock.Grains.ApiKeys;
using Odock.Grains.Catalog;

namespace Odock.Gateway.Pipeline;

/// <summary>
/// One chat request through governance, in the order of docs/ARCHITECTURE.md: admit and read (<see cref="RequestGate"/>),
/// parse, resolve the model and check the grant (<see cref="ModelResolver"/>), then stage-2 limits, the worst-case
/// reservation, the forward, settlement and the ledger row (<see cref="CallGovernor"/>). Every answer carries
/// <c>x-request-id</c>; every request that got past admission is in the ledger, refused or not, including those whose
/// client went away.
/// </summary>
internal sealed class ChatPipeline(RequestGate gate, ModelResolver resolver, CallGovernor governor, ProviderRegistry providers, GatewayOptions options)
{
    /// <summary>The next stage of a chat request, made once rather than from the method group on every request.</summary>
    private Func<HttpContext, GatewayCall, ChatRequest, ValueTask<bool>>? _governAndForward;

    /// <summary>
    /// A chat request. The key's stage 1 is taken with stage 2 when this gateway remembers the key's grant
    /// (<see cref="RequestGate.PassAsync{TState}"/>): one round trip to the cluster before the provider instead of two.
    /// </summary>
    public Task HandleAsync(HttpContext context, IChatFamily family) => GuardAsync(context, family, _governAndForward ??= GovernAndForwardAsync, provisional: true);

    /// <summary>
    /// A token count (Gemini's <c>countTokens</c>, Anthropic's <c>count_tokens</c>): admitted, read, parsed and resolved
    /// like a chat request, then answered by <paramref name="answer"/> (the gateway's estimate, or the provider's own
    /// count). Nothing is reserved or charged; the ledger gets a row of zero tokens and zero cost, so every admitted
    /// call is still in it.
    /// </summary>
    public Task CountTokensAsync(HttpContext context, IChatFamily family, Func<HttpContext, ChatRequest, ResolvedModel, Task> answer) =>
        GuardAsync(context, family, [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))] async ValueTask<bool> (_, call, request) =>
        {
            await answer(context, request, call.Target!).ConfigureAwait(false);
            await gate.RecordUnchargedAsync(call, context.Response.StatusCode, null).ConfigureAwait(false);
            return true;
        }, provisional: false);

    // The stages' state goes to static lambdas as a tuple, not captured: on the hottest endpoint closures and their
    // delegates were about 5 % of what a request allocated.
    private Task GuardAsync(HttpContext context, IChatFamily family, Func<HttpContext, GatewayCall, ChatRequest, ValueTask<bool>> next, bool provisional) =>
        gate.PassAsync(context, family, (Pipeline: this, Context: context, Family: family, Next: next), static (state, call, body) => state.Pipeline.ParseAndResolveAsync(state.Context, state.Family, call, body, state.Next), provisional);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ParseAndResolveAsync(HttpContext context, IChatFamily family, GatewayCall call, ReadOnlyMemory<byte> body, Func<HttpContext, GatewayCall, ChatRequest, ValueTask<bool>> next)
    {
        var (request, parseError) = family.Parse(body, context.Request);
        if (parseError is not null)
        {
            await gate.RefuseAsync(context, call, parseError).ConfigureAwait(false);
            return;
        }

        using (request)
        {
            call.RequestedModel = request!.Model;
            call.Streamed = request.Stream;
            await gate.ResolveAndRunAsync(
                context,
                call,
                (Pipeline: this, Context: context, Call: call, Family: family, Request: request, Next: next),
                static (state, grant) => state.Pipeline.ResolveAsync(state.Context, state.Call, state.Family, state.Request, grant),
                static (state, call, target) =>
                {
                    call.Target = target;
                    return state.Next(state.Context, call, state.Request);
                }).ConfigureAwait(false);
        }
    }

    private ValueTask<(ResolvedModel? Target, GatewayError? Error)> ResolveAsync(HttpContext context, GatewayCall call, IChatFamily family, ChatRequest request, KeyGrant grant) =>
        resolver.ResolveAsync(
            call,
            grant,
            request.Model,
            (Pipeline: this, Family: family, Grant: grant, Request: request),
            static (state, model, provider) => state.Pipeline.Check(state.Family, state.Grant, state.Request, model, provider),
            context.RequestAborted);

    private ValueTask<bool> GovernAndForwardAsync(HttpContext context, GatewayCall call, ChatRequest request)
    {
        var plan = CallPlan.ForChat(request, call.Grant, call.Target!.Model, options, call.OccurredAt);
        return governor.RunAsync(context, call, plan, (Providers: providers, Context: context, Call: call, Request: request, plan.OutputLimit, plan.HostedToolLimit), static state =>
        {
            var (providers, context, call, request, outputLimit, hostedToolLimit) = state;
            var adapter = providers.ChatFor(call.Target!.Provider.Type, request.Family)!;
            var sink = ((IChatFamily)call.Surface).CreateSink(context, request, call.RequestId);
            return ChatForwarder.SendAsync(adapter, new ChatCall(request, call.Target, call.RequestId, outputLimit, hostedToolLimit), sink, context.RequestAborted);
        });
    }

    private GatewayError? Check(IChatFamily family, KeyGrant grant, ChatRequest request, CatalogModel model, CatalogProvider? provider)
    {
        if (CallPlan.CheckOutputLimit(request, grant, model, "max_tokens") is { } tooMuch)
        {
            return tooMuch;
        }

        if (provider is null || providers.ChatFor(provider.Type, request.Family) is null)
        {
            return new GatewayError(501, "provider_not_supported", $"The model '{model.Name}' is served by a provider this gateway cannot call for chat completions yet.");
        }

        if (family.Refuse(model, provider) is { } refused)
        {
            return refused;
        }

        if (request.Untranslatable is { } untranslatable && !ProviderRegistry.SpeaksNatively(provider.Type, request.Family))
        {
            return untranslatable with { Message = $"{untranslatable.Message} The model '{model.Name}' is not one." };
        }

        if (request.Choices > 1 && provider.Type == ProviderType.Anthropic)
        {
            // Several answers come from OpenAI's n and Gemini's candidateCount, and each family's providers take the
            // other's as their own. Anthropic's API gives one answer per request: refusing keeps the client from
            // paying for answers it would never see.
            var field = request.Family == ApiFamily.Gemini ? "generationConfig.candidateCount" : "n";
            return GatewayError.BadRequest(
                $"{field}: {request.Choices} answers in one request; the model '{model.Name}' is an Anthropic model, which gives one answer per request. Ask for one answer, or send several requests.",
                field);
        }

        return null;
    }
}
