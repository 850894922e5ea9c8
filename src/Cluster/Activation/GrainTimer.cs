namespace Odock.Cluster.Activation;

/// <summary>A per-activation timer whose ticks run as turns of the activation; ends with it.</summary>
internal sealed class GrainTimer : IDisposable
{
    private readonly GrainActivation _activation;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly TimeSpan _dueTime;
    private readonly TimeSpan _period;
    private readonly CancellationTokenSource _stop = new();

    public GrainTimer(GrainActivation activation, Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        _activation = activation;
        _callback = callback;
        _dueTime = dueTime;
        _period = period;
    }

    public void Start() => _ = RunAsync();

    public void Dispose()
    {
        if (!_stop.IsCancellationRequested)
        {
            _stop.Cancel();
            _activation.Forget(this);
        }
    }

    private async Task RunAsync()
    {
        var time = _activation.Host.Time;
        try
        {
            await Task.Delay(_dueTime, time, _stop.Token).ConfigureAwait(false);
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await _activation.RunTurnAsync(_callback, _stop.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _activation.Host.LogTimerFailure(_activation, ex);
                }

                await Task.Delay(_period, time, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
