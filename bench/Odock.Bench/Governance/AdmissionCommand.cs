using Odock.Bench.Hosting;
using Odock.Bench.Load;
using Odock.Domain.Policies;
using Odock.Grains.Budgets;

namespace Odock.Bench.Governance;

/// <summary>
/// The <c>admission</c> mode (issue 4): for each path it seeds an organisation with keys, budgets and models shaped by
/// <see cref="LimitSharing"/>, runs every key through one full request so no measured request pays for an activation,
/// then for each caller count runs a warm-up and a measured closed loop of whole admissions, taken step by step or as
/// the gateway takes them (<see cref="AdmissionOperation.Gateway"/>), or, with <see cref="AdmissionOperation.OrgBudget"/>,
/// of the organisation budget's share of them alone.
/// </summary>
internal static class AdmissionCommand
{
    /// <summary>Limits on every counter of stage 1 and stage 2, so each is exercised, and far above what a run reaches.</summary>
    private static readonly ResourcePolicy KeyLimits = new()
    {
        RequestsPerMinute = 10_000_000,
        TokensPerMinute = 1_000_000_000_000,
        MaxConcurrency = 10_000,
    };

    public static async Task<IReadOnlyList<LoadResult>> RunAsync(AdmissionOptions options, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var results = new List<LoadResult>();
        foreach (var path in options.Load.Paths)
        {
            await using var host = await GovernanceHost.StartAsync(path);
            var organisation = await GovernedKeys.SeedAsync(host.Store, options.Load.Keys, KeyLimits, options.Sharing);
            var sequence = new AdmissionSequence(host.Governance);
            foreach (var batch in organisation.Keys.Chunk(64))
            {
                await Task.WhenAll(batch.Select(sequence.RunAsync));
            }

            foreach (var callers in options.Load.Callers)
            {
                var (operationOf, unit) = options.Operation switch
                {
                    AdmissionOperation.Full => (sequence.Callers(organisation.Keys, callers, sequence.RunAsync), "admissions"),
                    AdmissionOperation.Gateway => (sequence.Callers(organisation.Keys, callers, sequence.RunAsGatewayAsync), "admissions"),
                    _ => (OrgBudgetCalls(sequence, host.Grains.Get<IBudgetGrain>(organisation.OrganisationBudgetId!.Value.ToString())), "reserve+settles"),
                };
                results.Add(await ClosedLoopRunner.MeasureQuietlyAsync(path, callers, operationOf, CpuMeter.ThisProcess, options.Load, progress, unit));
            }
        }

        return results;
    }

    private static Func<int, Func<Task>> OrgBudgetCalls(AdmissionSequence sequence, IBudgetGrain budget) => _ => () => sequence.ReserveAndSettleAsync(budget);
}
