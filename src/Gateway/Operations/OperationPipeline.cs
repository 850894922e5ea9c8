using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Odock.Domain.Common;
using Odock.Domain.Models;
using Odock.Domain.Pricing;
using Odock.Gateway.Errors;
using Odock.Gateway.Pipeline;
using Odock.Gateway.Providers;
using Odock.Gateway.Resolution;
using Odock.Grains.Catalog;

namespace Odock.Gateway.Operations;

/// <summary>
/// A non-chat call through the same governance as chat: admit and read (<see cref="RequestGate"/>), parse, resolve
/// and check the grant (<see cref="ModelResolver"/>), check that the model and its provider can do the operation,
/// then stage-2 limits, the worst-case reservation, the forward, settlement and the ledger row
/// (<see cref="CallGovernor"/>). Tokenize and detokenize are admitted, granted, forwarded and recorded, but cost nothing.
/// </summary>
internal sealed class OperationPipeline(RequestGate gate, ModelResolver resolver, CallGovernor governor, OperationProviderRegistry providers)
{
    public Task HandleAsync(HttpContext context, IOperationSurface surface) =>
        gate.PassAsync(context, surface, [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))] async ValueTask (call, body) =>
        {
            var (request, parseError) = surface.Parse(body);
            if (parseError is not null)
            {
                await gate.RefuseAsync(context, call, parseError).ConfigureAwait(false);
                return;
            }

            call.RequestedModel = request!.Model;
            await gate.ResolveAndRunAsync(
                context,
                call,
                request,
                (parsed, grant) => resolver.ResolveAsync(call, grant, parsed.Model, (model, provider) => Check(parsed, model, provider), context.RequestAborted),
                (parsed, resolved, target) => RunAsync(context, surface, resolved, parsed, target),
                static (parsed, _) => IsUncharged(parsed)).ConfigureAwait(false);
        }, provisional: true);

    /// <summary>
    /// The call, governed and forwarded; false when the key decided a provisional admission otherwise (see
    /// <see cref="RequestGate.ResolveAndRunAsync{TState, TTarget}"/>). A tokenize or a detokenize is neither limited nor
    /// reserved, and reaches it only once the key has decided stage 1.
    /// </summary>
    private async ValueTask<bool> RunAsync(HttpContext context, IOperationSurface surface, GatewayCall call, OperationRequest request, ResolvedModel target)
    {
        call.Target = target;
        var adapter = providers.For(target.Provider.Type, request.Operation)!;
        ValueTask<ChatOutcome> Forward() => new(adapter.SendAsync(new OperationCall(request, target, call.RequestId, context, surface), context.RequestAborted));
        if (!IsUncharged(request))
        {
            return await governor.RunAsync(context, call, Plan(request, target.Model, call.OccurredAt), Forward).ConfigureAwait(false);
        }

        await governor.RunUnchargedAsync(context, call, Forward).ConfigureAwait(false);
        return true;
    }

    /// <summary>Tokenize and detokenize: forwarded and recorded, but neither limited, reserved nor charged.</summary>
    private static bool IsUncharged(OperationRequest request) => request.Operation is UpstreamOperation.Tokenize or UpstreamOperation.Detokenize;

    /// <summary>
    /// The worst case is what the call sends (and the images it asks for). A client that goes away is charged it in
    /// full: these calls are one piece of work the provider finishes, and bills, whether anyone waits or not; for
    /// images that includes the output tokens a GPT Image model bills for each (<see cref="PricingEngine.OutputTokensPerImage"/>).
    /// </summary>
    private static CallPlan Plan(OperationRequest request, CatalogModel model, DateTimeOffset occurredAt)
    {
        var images = request.Operation == UpstreamOperation.ImageGenerations ? request.ImageCount : 0;
        var worstCase = new TokenUsage { InputTokens = request.EstimatedInputTokens, Images = images };
        var ifClientLeaves = images == 0 ? worstCase : worstCase with { OutputTokens = images * PricingEngine.OutputTokensPerImage(model.Pricing.At(occurredAt)) };
        var pricedAs = request.Operation switch
        {
            UpstreamOperation.Embeddings => ModelType.Embeddings,
            UpstreamOperation.ImageGenerations => ModelType.Image,
            _ => model.Type,
        };
        return new CallPlan(worstCase, request.EstimatedInputTokens, ifClientLeaves, pricedAs);
    }

    private GatewayError? Check(OperationRequest request, CatalogModel model, CatalogProvider? provider)
    {
        if (RequiredType(request.Operation) is { } required && model.Type != required)
        {
            return new GatewayError(400, "wrong_model_type", $"The model '{model.Name}' is of type '{WireName.Of(model.Type)}'; this endpoint needs a model of type '{WireName.Of(required)}'.", "model");
        }

        if (provider is null)
        {
            return null;
        }

        if (providers.For(provider.Type, request.Operation) is null)
        {
            return new GatewayError(400, "unsupported_provider_type", $"The model '{model.Name}' is served by a provider of type '{WireName.Of(provider.Type)}'; this endpoint is served by {OperationProviderRegistry.TypesServing(request.Operation)} providers only.", "model");
        }

        if (provider.Type == Domain.Providers.ProviderType.Gemini && request.NativeBody is null && request.Input?.Texts is null)
        {
            return GatewayError.BadRequest($"The model '{model.Name}' is a Gemini model, which embeds text: send 'input' as strings, not token ids.", "input");
        }

        return null;
    }

    private static ModelType? RequiredType(UpstreamOperation operation) => operation switch
    {
        UpstreamOperation.Embeddings => ModelType.Embeddings,
        UpstreamOperation.ImageGenerations => ModelType.Image,
        _ => null,
    };
}
