using System.Globalization;
using Odock.Bench.Load;
using Odock.Cluster;
using Odock.Grains.Budgets;
using Odock.Grains.Governance;

namespace Odock.Bench.Governance;

/// <summary>
/// What a gateway asks of governance for one request, in order: admit (stage 1 on the key), start (stage 2 on the key
/// and the model), reserve the worst-case cost on every budget of the key, settle the actual cost, complete (free the
/// slots, record the tokens). Eleven grain calls with three budgets, in six rounds (a step's calls to several grains go
/// out together); any refusal is an error here.
/// </summary>
internal sealed class AdmissionSequence(GovernanceClient governance)
{
    private const string ClientAddress = "203.0.113.7";
    private const long PayloadBytes = 2_048;
    private const long EstimatedTokens = 600;
    private const long ActualTokens = 450;
    private const decimal WorstCaseCost = 0.02m;
    private const decimal ActualCost = 0.01m;
    private static readonly TimeSpan ReservationLifetime = TimeSpan.FromMinutes(2);

    private long _requests;

    public async Task RunAsync(GovernedKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var (secret, modelId) = key;
        var requestId = string.Create(CultureInfo.InvariantCulture, $"bench-{Interlocked.Increment(ref _requests)}");
        var admission = await governance.AdmitAsync(secret, ClientAddress, PayloadBytes);
        var grant = admission.Grant ?? throw Refused(admission.Refusal);
        if (await governance.StartAsync(admission, modelId, requestId, EstimatedTokens) is { } stage2)
        {
            throw Refused(stage2);
        }

        if (await governance.ReserveAsync(grant, requestId, WorstCaseCost, EstimatedTokens, ReservationLifetime) is { } budget)
        {
            throw Refused(budget);
        }

        await governance.SettleAsync(grant, requestId, ActualCost, served: true, ActualTokens);
        await governance.CompleteAsync(admission, modelId, requestId, ActualTokens);
    }

    /// <summary>
    /// The same request as the gateway makes it (<see cref="AdmissionOperation.Gateway"/>): the key's grant is one it
    /// remembers from an earlier admission, and the model has no traffic limits, so the key's stages 1 and 2 go out with
    /// the reservations. Two rounds: on a cluster, one request to each silo involved per round.
    /// </summary>
    public async Task RunAsGatewayAsync(GovernedKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var requestId = string.Create(CultureInfo.InvariantCulture, $"bench-{Interlocked.Increment(ref _requests)}");
        var admission = await governance.AdmitAsync(key.Secret, ClientAddress, PayloadBytes, provisional: true);
        if (admission.Grant is null)
        {
            throw Refused(admission.Refusal);
        }

        if (await governance.StartAndReserveAsync(admission, null, requestId, WorstCaseCost, EstimatedTokens, ReservationLifetime) is { } refused)
        {
            throw Refused(refused);
        }

        Task settle, complete;
        using (GrainCallBatch.Start())
        {
            settle = governance.SettleAsync(admission.Grant, requestId, ActualCost, served: true, ActualTokens);
            complete = governance.CompleteAsync(admission, null, requestId, ActualTokens);
        }

        await Task.WhenAll(settle, complete);
    }

    /// <summary>The two calls a request makes on one budget, without the rest: how fast a single hot grain goes.</summary>
    public async Task ReserveAndSettleAsync(IBudgetGrain budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var requestId = string.Create(CultureInfo.InvariantCulture, $"bench-{Interlocked.Increment(ref _requests)}");
        var reserved = await budget.Reserve(requestId, WorstCaseCost, (int)ReservationLifetime.TotalSeconds);
        if (reserved.Outcome != ReservationOutcome.Reserved)
        {
            throw new OperationRefusedException($"{reserved.Limit}: {reserved.Outcome}");
        }

        await budget.Settle(requestId, ActualCost);
    }

    /// <summary>Caller c sends with keys c, c+N, c+2N, …; with more callers than keys, callers share keys as clients do.</summary>
    public Func<int, Func<Task>> Callers(GovernedKey[] keys, int callers, Func<GovernedKey, Task> run) => caller =>
    {
        var index = caller % keys.Length;
        return () =>
        {
            var key = keys[index];
            index = (index + callers) % keys.Length;
            return run(key);
        };
    };

    private static OperationRefusedException Refused(Refusal? refusal) =>
        new(refusal is null ? "refused without a reason" : $"{refusal.Reason} by {refusal.Limit}: {refusal.Message}");
}
