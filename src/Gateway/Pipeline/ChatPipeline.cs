using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Odock.Cluster;
using Odock.Domain.Models;
using Odock.Domain.Usage;
using Odock.Gateway.Auth;
using Odock.Gateway.Chat;
using Odock.Gateway.Errors;
using Odock.Gateway.Families;
using Odock.Gateway.Providers;
using Odock.Gateway.Resolution;
using Odock.Gateway.Usage;
using Odock.Grains.ApiKeys;
using Odock.Grains.Catalog;
using Odock.Grains.Governance;

namespace Odock.Gateway.Pipeline;

/// <summary>
/// One chat request through governance, in the order of docs/ARCHITECTURE.md: admit, read and parse, resolve the
/// model and check the grant, stage-2 limits, reserve the worst case, forward, settle the actual cost, free the slots,
/// record. Every answer carries <c>x-request-id</c>; every request that got past admission is in the ledger, refused
/// or not, including those whose client went away.
/// </summary>
internal sealed partial class ChatPipeline(
    GovernanceClient governance,
    CatalogCache catalogs,
    ProviderSecrets secrets,
    ProviderRegistry providers,
    UsageRecorder usage,
    GatewayOptions options,
    TimeProvider time,
    ILogger<ChatPipeline> logger)
{
    public Task HandleAsync(HttpContext context, IChatFamily family) => GuardAsync(context, family, GovernAndForwardAsync);

    /// <summary>
    /// A token count (Gemini's <c>countTokens</c>, Anthropic's <c>count_tokens</c>): admitted, read, parsed and resolved
    /// like a chat request, then answered by <paramref name="answer"/> (the gateway's estimate, or the provider's own
    /// count). Nothing is reserved or charged; the ledger gets a row of zero tokens and zero cost, so every admitted
    /// call is still in it.
    /// </summary>
    public Task CountTokensAsync(HttpContext context, IChatFamily family, Func<HttpContext, ChatRequest, ResolvedModel, Task> answer) =>
        GuardAsync(context, family, async (_, _, request, target, draft) =>
        {
            await answer(context, request, target).ConfigureAwait(false);
            var cost = new CostBreakdown(target.Model.Pricing.Currency, 0, 0, 0, 0, 0, 0, 0, 0);
            await usage.RecordAsync(draft.ToRecord(context.Response.StatusCode, null, default, cost, null, time), CancellationToken.None).ConfigureAwait(false);
        });

    private async Task GuardAsync(HttpContext context, IChatFamily family, Func<HttpContext, Admission, ChatRequest, ResolvedModel, Draft, Task> next)
    {
        var started = Stopwatch.GetTimestamp();
        var occurredAt = time.GetUtcNow();
        var requestId = "req_" + Guid.NewGuid().ToString("N");
        context.Response.Headers["x-request-id"] = requestId;
        try
        {
            await RunAsync(context, family, requestId, occurredAt, started, next).ConfigureAwait(false);
        }
        catch (ClusterUnavailableException ex)
        {
            LogGovernanceUnavailable(requestId, ex.Message);
            await family.WriteErrorAsync(context, GatewayError.ClusterUnavailable()).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(HttpContext context, IChatFamily family, string requestId, DateTimeOffset occurredAt, long started, Func<HttpContext, Admission, ChatRequest, ResolvedModel, Draft, Task> next)
    {
        var declared = context.Request.ContentLength ?? 0;
        if (declared > options.MaxBodyBytes)
        {
            await family.WriteErrorAsync(context, TooLarge(options.MaxBodyBytes)).ConfigureAwait(false);
            return;
        }

        var admission = await governance.AdmitAsync(ApiKeyExtractor.Extract(context.Request), ClientAddress(context), declared).ConfigureAwait(false);
        if (admission.Grant is not { } grant)
        {
            await family.WriteErrorAsync(context, GatewayError.From(admission.Refusal!)).ConfigureAwait(false);
            return;
        }

        var draft = new Draft(family, requestId, occurredAt, started, grant);
        var body = await RequestBody.ReadAsync(context.Request, options.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await RefuseAsync(context, draft, TooLarge(options.MaxBodyBytes)).ConfigureAwait(false);
            return;
        }

        var (request, parseError) = family.Parse(body.Value, context.Request);
        if (parseError is not null)
        {
            await RefuseAsync(context, draft, parseError).ConfigureAwait(false);
            return;
        }

        draft.RequestedModel = request!.Model;
        draft.Streamed = request.Stream;
        var (target, resolveError) = await ResolveAsync(grant, request, context.RequestAborted).ConfigureAwait(false);
        if (resolveError is not null)
        {
            await RefuseAsync(context, draft, resolveError).ConfigureAwait(false);
            return;
        }

        draft.Target = target;
        await next(context, admission, request, target!, draft).ConfigureAwait(false);
    }

    private async Task GovernAndForwardAsync(HttpContext context, Admission admission, ChatRequest request, ResolvedModel target, Draft draft)
    {
        var grant = admission.Grant!;
        var maxOutput = request.MaxOutputTokens ?? options.DefaultMaxOutputTokens;
        var estimatedTokens = request.EstimatedInputTokens + maxOutput;
        var stageTwo = await governance.StartAsync(admission, target.Model.Id, draft.RequestId, estimatedTokens).ConfigureAwait(false);
        if (stageTwo is not null)
        {
            await RefuseAsync(context, draft, GatewayError.From(stageTwo)).ConfigureAwait(false);
            return;
        }

        ChatOutcome? outcome = null;
        try
        {
            var worstCase = target.Model.Pricing.Cost(new TokenUsage { InputTokens = request.EstimatedInputTokens, OutputTokens = maxOutput }, target.Model.Type).Total;
            var refused = await governance.ReserveAsync(grant, draft.RequestId, worstCase, estimatedTokens, options.UpstreamTimeout + TimeSpan.FromMinutes(1)).ConfigureAwait(false);
            if (refused is not null)
            {
                await RefuseAsync(context, draft, GatewayError.From(refused)).ConfigureAwait(false);
                return;
            }

            var adapter = providers.ChatFor(target.Provider.Type, request.Family)!;
            OverheadHeader.Attach(context, draft.Started);
            var sink = draft.Family.CreateSink(context, request, draft.RequestId);
            outcome = await adapter.SendAsync(new ChatCall(request, target, draft.RequestId), sink, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            outcome = new ChatOutcome(499, new TokenUsage { InputTokens = request.EstimatedInputTokens }, true, "client_disconnected", null, null);
        }
        finally
        {
            await FinishAsync(admission, target, draft, outcome).ConfigureAwait(false);
        }
    }

    /// <summary>Settles (or releases when nothing was sent), frees the slots and records, whatever happened to the client.</summary>
    private async Task FinishAsync(Admission admission, ResolvedModel target, Draft draft, ChatOutcome? outcome)
    {
        var grant = admission.Grant!;
        var cost = outcome is null ? null : target.Model.Pricing.Cost(outcome.Usage, target.Model.Type);
        try
        {
            if (outcome is null)
            {
                await governance.ReleaseAsync(grant, draft.RequestId).ConfigureAwait(false);
            }
            else
            {
                await governance.SettleAsync(grant, draft.RequestId, cost!.Total, outcome.Served, outcome.Usage.TotalTokens).ConfigureAwait(false);
            }

            await governance.CompleteAsync(admission, target.Model.Id, draft.RequestId, outcome?.Usage.TotalTokens ?? 0).ConfigureAwait(false);
        }
        catch (ClusterUnavailableException ex)
        {
            // The ledger row below still carries the cost; the budget recomputes from it when its grain next activates.
            LogSettleFailed(draft.RequestId, ex.Message);
        }

        if (outcome is not null)
        {
            await usage.RecordAsync(draft.ToRecord(outcome.Status, outcome.ErrorCode, outcome.Usage, cost!, outcome.ProviderUsageJson, time), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<(ResolvedModel? Target, GatewayError? Error)> ResolveAsync(KeyGrant grant, ChatRequest request, CancellationToken cancellationToken)
    {
        var catalog = await catalogs.GetAsync(grant.OrganisationId).ConfigureAwait(false);
        var model = catalog?.Models.FirstOrDefault(m => m.Enabled && string.Equals(m.Name, request.Model, StringComparison.Ordinal));
        if (model is null)
        {
            return (null, new GatewayError(404, "model_not_found", $"The model '{request.Model}' does not exist.", "model"));
        }

        if (!grant.ModelGrants.Contains(model.Id))
        {
            return (null, new GatewayError(403, "model_not_allowed", $"The API key '{grant.KeyName}' may not use the model '{model.Name}'.", "model"));
        }

        if (grant.MaxTokensPerRequest is { } maxTokens && request.MaxOutputTokens is { } asked && asked > maxTokens)
        {
            return (null, GatewayError.BadRequest($"This API key allows at most {maxTokens} output tokens per request; the request asks for {asked}.", "max_tokens"));
        }

        var provider = catalog!.Providers.FirstOrDefault(p => p.Id == model.ProviderId && p.Enabled);
        if (provider is null || providers.ChatFor(provider.Type, request.Family) is null)
        {
            return (null, new GatewayError(501, "provider_not_supported", $"The model '{model.Name}' is served by a provider this gateway cannot call for chat completions yet."));
        }

        if (request.Untranslatable is { } untranslatable && !ProviderRegistry.SpeaksNatively(provider.Type, request.Family))
        {
            return (null, untranslatable with { Message = $"{untranslatable.Message} The model '{model.Name}' is not one." });
        }

        var secret = await secrets.GetAsync(provider.Id, model.ProviderKeyId, cancellationToken).ConfigureAwait(false);
        return (new ResolvedModel(model, provider, secret), null);
    }

    private async Task RefuseAsync(HttpContext context, Draft draft, GatewayError error)
    {
        await draft.Family.WriteErrorAsync(context, error).ConfigureAwait(false);
        var cost = new CostBreakdown(draft.Target?.Model.Pricing.Currency ?? "USD", 0, 0, 0, 0, 0, 0, 0, 0);
        await usage.RecordAsync(draft.ToRecord(error.Status, error.Code, default, cost, null, time), CancellationToken.None).ConfigureAwait(false);
    }

    private static GatewayError TooLarge(long limit) => new(413, "payload_too_large", $"The request body exceeds {limit} bytes.");

    private static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} refused with 503: the governance cluster is unavailable ({Reason})")]
    private partial void LogGovernanceUnavailable(string requestId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} could not be settled with its budgets now ({Reason}); the ledger row carries its cost")]
    private partial void LogSettleFailed(string requestId, string reason);

    /// <summary>What is known about a request as it goes, for its ledger row.</summary>
    private sealed class Draft(IChatFamily family, string requestId, DateTimeOffset occurredAt, long started, KeyGrant grant)
    {
        public IChatFamily Family { get; } = family;

        public string RequestId { get; } = requestId;

        public long Started { get; } = started;

        public string? RequestedModel { get; set; }

        public bool Streamed { get; set; }

        public ResolvedModel? Target { get; set; }

        public UsageRecord ToRecord(int status, string? errorCode, TokenUsage tokens, CostBreakdown cost, string? providerUsage, TimeProvider clock) => new()
        {
            Id = Guid.NewGuid(),
            RequestId = RequestId,
            OccurredAt = occurredAt,
            Kind = UsageKind.Model,
            OrganisationId = grant.OrganisationId,
            TeamId = grant.TeamId,
            UserId = grant.UserId,
            ApiKeyId = grant.KeyId,
            Endpoint = Family.Endpoint,
            RequestedModel = RequestedModel,
            ModelId = Target?.Model.Id,
            ModelName = Target?.Model.Name,
            ProviderId = Target?.Provider.Id,
            UpstreamSlug = Target?.Model.UpstreamSlug,
            HttpStatus = status,
            ErrorCode = errorCode,
            Streamed = Streamed,
            LatencyMs = (long)Stopwatch.GetElapsedTime(Started).TotalMilliseconds,
            Tokens = tokens,
            Cost = cost.Total,
            Currency = cost.Currency,
            ProviderUsageJson = providerUsage,
        };
    }
}
