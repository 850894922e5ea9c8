using Odock.Cluster;
using Odock.Domain.Policies;
using Odock.Grains.Governance;
using Odock.Storage.Store;

namespace Odock.Grains.Limits;

/// <summary>Counters for one model's <see cref="ResourcePolicy"/>; a model without limits answers without counting.</summary>
internal sealed class ModelLimitGrain(IOdockStore store, TimeProvider time) : Grain, IModelLimitGrain
{
    private ResourcePolicy _policy = ResourcePolicy.None;
    private PolicyLimiter _limits = new(ResourcePolicy.None);
    private string _scope = "model ''";

    public override Task OnActivateAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public ValueTask<Refusal?> Start(string requestId, long estimatedTokens)
    {
        var now = time.GetUtcNow();
        var refusal = _limits.TryStart(requestId, estimatedTokens, now, _scope);
        if (refusal is null && (refusal = _limits.TryAdmitRequest(now, _scope)) is not null)
        {
            _limits.Complete(requestId, 0, now);
        }

        return new(refusal);
    }

    public ValueTask Complete(string requestId, long actualTokens)
    {
        _limits.Complete(requestId, actualTokens, time.GetUtcNow());
        return ValueTask.CompletedTask;
    }

    public Task Refresh() => LoadAsync(CancellationToken.None);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        var model = Guid.TryParse(Key, out var id) ? await session.Models.GetAsync(id, cancellationToken).ConfigureAwait(false) : null;
        var policy = model?.Policies ?? ResourcePolicy.None;
        _scope = $"model '{model?.Name ?? Key}'";
        if (!policy.Equals(_policy))
        {
            _policy = policy;
            _limits = new PolicyLimiter(policy);
        }
    }
}
