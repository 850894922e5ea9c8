using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Odock.Cluster;
using Odock.Domain.Models;
using Odock.Gateway.Errors;
using Odock.Gateway.Providers;
using Odock.Gateway.Usage;
using Odock.Grains.Governance;

namespace Odock.Gateway.Pipeline;

/// <summary>
/// The stages around a resolved call that every charged endpoint shares: stage-2 limits, the worst-case reservation on
/// every budget and quota, the forward itself, then settlement with the actual cost (or release when nothing was
/// sent), the freed concurrency slots and the ledger row, whatever happened to the client. Prices are those in force
/// when the request arrived, for the reservation and the charge alike.
/// </summary>
internal sealed class CallGovernor(GovernanceClient governance, RequestGate gate, UsageRecorder usage, OpenSettlements unanswered, GatewayOptions options)
{
    /// <summary>The governance client, for <see cref="SendSettlement"/>, which is static so that it makes no delegate.</summary>
    private GovernanceClient Governance => governance;

    /// <summary>
    /// One attempt, answered and recorded. False when a provisional admission was decided otherwise by the key
    /// (<see cref="GovernedAttempt.Readmit"/>): nothing was answered, and the caller takes it from there.
    /// </summary>
    public ValueTask<bool> RunAsync(HttpContext context, GatewayCall call, CallPlan plan, Func<ValueTask<ChatOutcome>> forward) =>
        RunAsync(context, call, plan, forward, static forward => forward());

    /// <summary>As above, with the forward's <paramref name="state"/> passed to it rather than captured.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> RunAsync<TState>(HttpContext context, GatewayCall call, CallPlan plan, TState state, Func<TState, ValueTask<ChatOutcome>> forward)
    {
        var attempt = await AttemptAsync(context, call, call.RequestId, plan, state, forward).ConfigureAwait(false);
        if (attempt.Readmitted)
        {
            return false;
        }

        if (attempt.Refusal is { } refusal)
        {
            await gate.RefuseAsync(context, call, refusal).ConfigureAwait(false);
        }
        else if (attempt.Outcome is { } outcome)
        {
            // Built once, with every field: a `with` copy of a 40-field record was 3.5 % of a request's allocation.
            var record = call.ToRecord(outcome.Status, outcome.ErrorCode, outcome.Usage, attempt.Cost!, outcome.ProviderUsageJson, outcome.TimeToFirstByteMs, outcome.UsageEstimated);
            await usage.RecordAsync(record, CancellationToken.None).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>
    /// One governed try at <see cref="GatewayCall.Target"/>, under its own id (a request that falls back to other models
    /// makes one attempt per model, each limited, reserved and settled at that model's prices): refused by stage-2
    /// limits or a reservation, or forwarded and settled. Writes no ledger row; the caller records the request once.
    /// </summary>
    public ValueTask<GovernedAttempt> AttemptAsync(HttpContext context, GatewayCall call, string attemptId, CallPlan plan, Func<ValueTask<ChatOutcome>> forward) =>
        AttemptAsync(context, call, attemptId, plan, forward, static forward => forward());

    /// <summary>As above, with the forward's <paramref name="state"/> passed to it rather than captured.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<GovernedAttempt> AttemptAsync<TState>(HttpContext context, GatewayCall call, string attemptId, CallPlan plan, TState state, Func<TState, ValueTask<ChatOutcome>> forward)
    {
        var target = call.Target!;
        // Decided once per attempt, so a catalog refresh between start and completion cannot strand a slot.
        var counted = target.Model.Policies.LimitsTraffic ? target.Model.Id : (Guid?)null;
        ChatOutcome? outcome = null;
        CostBreakdown? cost;
        Refusal? refused = null;
        try
        {
            var worstCase = target.Model.Pricing.WorstCase(plan.WorstCase, plan.PricedAs, call.OccurredAt).Total;
            // Stage 2 and every reservation, in one round when the model has no traffic limits. Whatever refuses has
            // given back what it took before it returns; after a success or a failure the finally below frees it.
            refused = await governance.StartAndReserveAsync(call.Admission, counted, attemptId, worstCase, plan.EstimatedTokens, options.UpstreamTimeout + TimeSpan.FromMinutes(1)).ConfigureAwait(false);
            if (refused is not null)
            {
                // A provisional admission that the key refused at stage 1, or whose grant had changed, goes back to the
                // caller unanswered.
                return !call.Admission.Admitted || refused.Reason == RefusalReason.KeyChanged
                    ? GovernedAttempt.Readmit
                    : GovernedAttempt.Refused(GatewayError.From(refused));
            }

            OverheadHeader.Attach(context, call.Started);
            outcome = await forward(state).ConfigureAwait(false);
            await EndAnswerAsync(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            outcome = new ChatOutcome(499, plan.IfClientLeaves, true, "client_disconnected", null, null);
        }
        finally
        {
            cost = outcome is null ? null : target.Model.Pricing.Cost(outcome.Usage, plan.PricedAs, call.OccurredAt);
            if (refused is null)
            {
                await SettleAsync(call, attemptId, counted, outcome, cost, answered: context.Response.HasStarted).ConfigureAwait(false);
            }
        }

        return new GovernedAttempt(outcome, cost, null);
    }

    /// <summary>
    /// Sends the end of an answer this attempt wrote, so that the client has all of it before the settlement and the
    /// ledger row: on a cluster, the settlement is a round trip to the silos, which the client would otherwise wait for
    /// (a response without a length ends only when the request's handler returns). An attempt that wrote nothing
    /// (refused, or a failure held back for a fallback) leaves the response open for whatever comes next.
    /// </summary>
    private static async ValueTask EndAnswerAsync(HttpContext context)
    {
        if (!context.Response.HasStarted)
        {
            return;
        }

        try
        {
            await context.Response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The client has gone; the settlement below still runs.
        }
    }

    /// <summary>
    /// A call that is forwarded but neither limited nor charged (vLLM's tokenize and detokenize): the key was admitted
    /// and the model granted; the ledger gets a row of zero tokens and zero cost with the provider's status.
    /// </summary>
    public async Task RunUnchargedAsync(HttpContext context, GatewayCall call, Func<ValueTask<ChatOutcome>> forward)
    {
        ChatOutcome outcome;
        try
        {
            OverheadHeader.Attach(context, call.Started);
            outcome = await forward().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            outcome = ChatOutcome.Failed(499, "client_disconnected");
        }

        await gate.RecordUnchargedAsync(call, outcome.Status, outcome.ErrorCode).ConfigureAwait(false);
    }

    /// <summary>
    /// Settles (or releases when nothing was sent) and frees the slots, whatever happened to the client. When this
    /// attempt's answer has been sent (<paramref name="answered"/>) no other attempt follows, so a settlement that has
    /// not been answered yet is left to <see cref="OpenSettlements"/> and the request ends without waiting for it. One
    /// the cluster could not take is left to it as well, to be sent again until the cluster takes it.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SettleAsync(GatewayCall call, string attemptId, Guid? countedModel, ChatOutcome? outcome, CostBreakdown? cost, bool answered)
    {
        var settlement = OpenSettlements.Send(SendSettlement, (this, call, attemptId, countedModel, outcome, cost));
        // In process it has usually been answered already: then there is nothing to wait for, and no task to make.
        if (settlement.IsCompletedSuccessfully)
        {
            return;
        }

        if (!answered)
        {
            try
            {
                await settlement.ConfigureAwait(false);
                return;
            }
            catch (ClusterUnavailableException)
            {
                // Sent again below, in the background: the next attempt does not wait for the cluster to come back.
            }
        }

        unanswered.Track(settlement, call.RequestId, SendSettlement, (this, call, attemptId, countedModel, outcome, cost));
    }

    /// <summary>
    /// One attempt's settlement as one batch: the charge (or the release when nothing was sent) on the budgets and
    /// quotas, and the freed slots on the key and the model. The two are independent, so on a cluster they cost one
    /// request to each silo that owns some of them. Every call in it is idempotent by the attempt's id, so it may be
    /// sent again.
    /// </summary>
    private static Task SendSettlement((CallGovernor Governor, GatewayCall Call, string AttemptId, Guid? CountedModel, ChatOutcome? Outcome, CostBreakdown? Cost) settlement)
    {
        var (governor, call, attemptId, countedModel, outcome, cost) = settlement;
        var governance = governor.Governance;
        Task charge, complete;
        using (GrainCallBatch.Start())
        {
            charge = outcome is null ? governance.ReleaseAsync(call.Grant, attemptId)
                : governance.SettleAsync(call.Grant, attemptId, cost!.Total, outcome.Served, outcome.Usage.TotalTokens);
            complete = governance.CompleteAsync(call.Admission, countedModel, attemptId, outcome?.Usage.TotalTokens ?? 0);
        }

        return charge.IsCompletedSuccessfully && complete.IsCompletedSuccessfully ? Task.CompletedTask : Task.WhenAll(charge, complete);
    }
}
