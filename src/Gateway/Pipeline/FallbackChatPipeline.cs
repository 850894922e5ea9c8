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
using Odock.Gateway.Routing;
using Odock.Gateway.Usage;
using Odock.Grains.ApiKeys;
using Odock.Grains.Governance;

namespace Odock.Gateway.Pipeline;

/// <summary>
/// <c>POST /odock/v1/chat</c>: the governed chat of <see cref="ChatPipeline"/> over an ordered list of models. Every
/// model named is resolved and checked against the key's grants before anything is sent. Then each is tried in turn,
/// as its own attempt (stage-2 limits, a reservation of that model's worst case, the call, settlement at that model's
/// prices, slots freed), until one answers or fails in a way the next cannot help: a failure moves on only when the
/// provider failed, timed out, could not be reached or rate limited, and nothing has reached the client yet. The
/// request gets one ledger row: the model that answered last, the cost of every attempt, and the attempts as routing.
/// </summary>
internal sealed partial class FallbackChatPipeline(
    GovernanceClient governance,
    CatalogCache catalogs,
    ProviderSecrets secrets,
    ProviderRegistry providers,
    UsageRecorder usage,
    GatewayOptions options,
    TimeProvider time,
    ILogger<FallbackChatPipeline> logger)
{
    private const string Endpoint = "odock.chat";

    public async Task HandleAsync(HttpContext context)
    {
        var row = new Row(Stopwatch.GetTimestamp(), time.GetUtcNow(), "req_" + Guid.NewGuid().ToString("N"));
        context.Response.Headers["x-request-id"] = row.RequestId;
        try
        {
            await RunAsync(context, row).ConfigureAwait(false);
        }
        catch (ClusterUnavailableException ex)
        {
            LogGovernanceUnavailable(row.RequestId, ex.Message);
            await OdockErrorWriter.WriteAsync(context, GatewayError.ClusterUnavailable()).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(HttpContext context, Row row)
    {
        var declared = context.Request.ContentLength ?? 0;
        if (declared > options.MaxBodyBytes)
        {
            await OdockErrorWriter.WriteAsync(context, TooLarge(options.MaxBodyBytes)).ConfigureAwait(false);
            return;
        }

        var admission = await governance.AdmitAsync(ApiKeyExtractor.Extract(context.Request), ClientAddress(context), declared).ConfigureAwait(false);
        if (admission.Grant is not { } grant)
        {
            await OdockErrorWriter.WriteAsync(context, GatewayError.From(admission.Refusal!)).ConfigureAwait(false);
            return;
        }

        row.Grant = grant;
        var body = await RequestBody.ReadAsync(context.Request, options.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await RefuseAsync(context, row, TooLarge(options.MaxBodyBytes)).ConfigureAwait(false);
            return;
        }

        var (parsed, parseError) = OdockChatParser.Parse(body.Value);
        if (parseError is not null)
        {
            await RefuseAsync(context, row, parseError).ConfigureAwait(false);
            return;
        }

        row.RequestedModel = parsed!.Chat.Model;
        row.Streamed = parsed.Chat.Stream;
        var (candidates, resolveError) = await ResolveAllAsync(grant, parsed, context.RequestAborted).ConfigureAwait(false);
        if (resolveError is not null)
        {
            await RefuseAsync(context, row, resolveError).ConfigureAwait(false);
            return;
        }

        OverheadHeader.Attach(context, row.Started);
        await TryInOrderAsync(context, admission, parsed.Chat, candidates!, row).ConfigureAwait(false);
    }

    private async Task TryInOrderAsync(HttpContext context, Admission admission, ChatRequest request, IReadOnlyList<ResolvedModel> candidates, Row row)
    {
        for (var i = 0; i < candidates.Count; i++)
        {
            var target = candidates[i];
            row.Target = target;
            var attemptId = i == 0 ? row.RequestId : $"{row.RequestId}.{i + 1}";
            var started = Stopwatch.GetTimestamp();
            var (outcome, heldBack, refusal) = await AttemptAsync(context, admission, request, target, attemptId, row, isLast: i == candidates.Count - 1).ConfigureAwait(false);
            if (refusal is not null)
            {
                await RefuseAsync(context, row, refusal).ConfigureAwait(false);
                return;
            }

            row.Attempts.Add(new RoutingAttempt(target.Model.Name, target.Provider.Name, outcome!.Status, outcome.ErrorCode, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds));
            row.Cost += target.Model.Pricing.Cost(outcome.Usage, target.Model.Type).Total;
            if (!heldBack)
            {
                await RecordAsync(row, outcome).ConfigureAwait(false);
                return;
            }

            LogFallingBack(row.RequestId, target.Model.Name, outcome.Status);
        }
    }

    /// <summary>One model's turn: governed like a single-model request, settled at its own prices.</summary>
    private async Task<(ChatOutcome? Outcome, bool HeldBack, GatewayError? Refusal)> AttemptAsync(
        HttpContext context, Admission admission, ChatRequest request, ResolvedModel target, string attemptId, Row row, bool isLast)
    {
        var grant = admission.Grant!;
        var maxOutput = request.MaxOutputTokens ?? options.DefaultMaxOutputTokens;
        var estimatedTokens = request.EstimatedInputTokens + maxOutput;
        var stageTwo = await governance.StartAsync(admission, target.Model.Id, attemptId, estimatedTokens).ConfigureAwait(false);
        if (stageTwo is not null)
        {
            return (null, false, GatewayError.From(stageTwo));
        }

        ChatOutcome? outcome = null;
        RetriableFailureSink? holding = null;
        try
        {
            var worstCase = target.Model.Pricing.Cost(new TokenUsage { InputTokens = request.EstimatedInputTokens, OutputTokens = maxOutput }, target.Model.Type).Total;
            var refused = await governance.ReserveAsync(grant, attemptId, worstCase, estimatedTokens, options.UpstreamTimeout + TimeSpan.FromMinutes(1)).ConfigureAwait(false);
            if (refused is not null)
            {
                return (null, false, GatewayError.From(refused));
            }

            IChatSink sink = new OdockChatSink(context, row.RequestId, target, [.. row.Attempts], time);
            if (!isLast)
            {
                sink = holding = new RetriableFailureSink(sink);
            }

            outcome = await SendAsync(context, request, target, row.RequestId, sink).ConfigureAwait(false);
        }
        finally
        {
            await SettleAsync(admission, target, attemptId, outcome, row.RequestId).ConfigureAwait(false);
        }

        return (outcome, holding?.HeldBack == true, null);
    }

    /// <summary>The call itself; a client gone, or a provider that broke off its stream midway, still ends in an outcome.</summary>
    private async Task<ChatOutcome> SendAsync(HttpContext context, ChatRequest request, ResolvedModel target, string requestId, IChatSink sink)
    {
        var adapter = providers.ChatFor(target.Provider.Type, request.Family)!;
        try
        {
            return await adapter.SendAsync(new ChatCall(request, target, requestId), sink, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return new ChatOutcome(499, new TokenUsage { InputTokens = request.EstimatedInputTokens }, true, "client_disconnected", null, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !context.RequestAborted.IsCancellationRequested)
        {
            // The provider accepted the call, then its connection broke: the input was sent, so it is charged as estimated.
            await sink.WriteErrorAsync(new GatewayError(502, "upstream_stream_broken", "The provider's answer broke off before it ended.")).ConfigureAwait(false);
            return new ChatOutcome(502, new TokenUsage { InputTokens = request.EstimatedInputTokens }, true, "upstream_stream_broken", null, null);
        }
    }

    /// <summary>Settles (or releases when nothing was sent) and frees the attempt's slots, whatever happened to the client.</summary>
    private async Task SettleAsync(Admission admission, ResolvedModel target, string attemptId, ChatOutcome? outcome, string requestId)
    {
        var grant = admission.Grant!;
        try
        {
            if (outcome is null)
            {
                await governance.ReleaseAsync(grant, attemptId).ConfigureAwait(false);
            }
            else
            {
                var cost = target.Model.Pricing.Cost(outcome.Usage, target.Model.Type).Total;
                await governance.SettleAsync(grant, attemptId, cost, outcome.Served, outcome.Usage.TotalTokens).ConfigureAwait(false);
            }

            await governance.CompleteAsync(admission, target.Model.Id, attemptId, outcome?.Usage.TotalTokens ?? 0).ConfigureAwait(false);
        }
        catch (ClusterUnavailableException ex)
        {
            // The ledger row still carries the cost; the budget recomputes from it when its grain next activates.
            LogSettleFailed(requestId, ex.Message);
        }
    }

    /// <summary>Every model named, resolved and granted, in order; the first that is not stops the request before any call.</summary>
    private async Task<(IReadOnlyList<ResolvedModel>? Candidates, GatewayError? Error)> ResolveAllAsync(KeyGrant grant, OdockChatRequest request, CancellationToken cancellationToken)
    {
        var catalog = await catalogs.GetAsync(grant.OrganisationId).ConfigureAwait(false);
        var candidates = new List<ResolvedModel>(request.Models.Count);
        for (var i = 0; i < request.Models.Count; i++)
        {
            var name = request.Models[i];
            var param = request.Models.Count == 1 ? "model" : $"models[{i}]";
            var model = catalog?.Models.FirstOrDefault(m => m.Enabled && string.Equals(m.Name, name, StringComparison.Ordinal));
            if (model is null)
            {
                return (null, new GatewayError(404, "model_not_found", $"The model '{name}' does not exist.", param));
            }

            if (!grant.ModelGrants.Contains(model.Id))
            {
                return (null, new GatewayError(403, "model_not_allowed", $"The API key '{grant.KeyName}' may not use the model '{model.Name}'.", param));
            }

            if (grant.MaxTokensPerRequest is { } maxTokens && request.Chat.MaxOutputTokens is { } asked && asked > maxTokens)
            {
                return (null, GatewayError.BadRequest($"This API key allows at most {maxTokens} output tokens per request; the request asks for {asked}.", "max_output_tokens"));
            }

            var provider = catalog!.Providers.FirstOrDefault(p => p.Id == model.ProviderId && p.Enabled);
            if (provider is null || providers.ChatFor(provider.Type, request.Chat.Family) is null)
            {
                return (null, new GatewayError(501, "provider_not_supported", $"The model '{model.Name}' is served by a provider this gateway cannot call for chat yet.", param));
            }

            candidates.Add(new ResolvedModel(model, provider, await secrets.GetAsync(provider.Id, model.ProviderKeyId, cancellationToken).ConfigureAwait(false)));
        }

        return (candidates, null);
    }

    private async Task RefuseAsync(HttpContext context, Row row, GatewayError error)
    {
        await OdockErrorWriter.WriteAsync(context, error).ConfigureAwait(false);
        var outcome = new ChatOutcome(error.Status, default, false, error.Code, null, null);
        await RecordAsync(row, outcome).ConfigureAwait(false);
    }

    private ValueTask RecordAsync(Row row, ChatOutcome outcome) => usage.RecordAsync(new UsageRecord
    {
        Id = Guid.NewGuid(),
        RequestId = row.RequestId,
        OccurredAt = row.OccurredAt,
        Kind = UsageKind.Model,
        OrganisationId = row.Grant!.OrganisationId,
        TeamId = row.Grant.TeamId,
        UserId = row.Grant.UserId,
        ApiKeyId = row.Grant.KeyId,
        Endpoint = Endpoint,
        RequestedModel = row.RequestedModel,
        ModelId = row.Target?.Model.Id,
        ModelName = row.Target?.Model.Name,
        ProviderId = row.Target?.Provider.Id,
        UpstreamSlug = row.Target?.Model.UpstreamSlug,
        HttpStatus = outcome.Status,
        ErrorCode = outcome.ErrorCode,
        Streamed = row.Streamed,
        LatencyMs = (long)Stopwatch.GetElapsedTime(row.Started).TotalMilliseconds,
        Tokens = outcome.Usage,
        Cost = row.Cost,
        Currency = row.Target?.Model.Pricing.Currency ?? "USD",
        ProviderUsageJson = outcome.ProviderUsageJson,
        RoutingJson = row.Attempts.Count == 0 ? null : RoutingAttempt.ToJson(row.Attempts),
    }, CancellationToken.None);

    private static GatewayError TooLarge(long limit) => new(413, "payload_too_large", $"The request body exceeds {limit} bytes.");

    private static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>What is known about a request as it goes, for its ledger row.</summary>
    private sealed class Row(long started, DateTimeOffset occurredAt, string requestId)
    {
        public long Started { get; } = started;

        public DateTimeOffset OccurredAt { get; } = occurredAt;

        public string RequestId { get; } = requestId;

        public KeyGrant? Grant { get; set; }

        public string? RequestedModel { get; set; }

        public bool Streamed { get; set; }

        public ResolvedModel? Target { get; set; }

        public List<RoutingAttempt> Attempts { get; } = [];

        public decimal Cost { get; set; }
    }
}
