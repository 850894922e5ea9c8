using System.Buffers;
using System.Net;
using Odock.Cluster.Activation;
using Odock.Cluster.Hosting;
using Odock.Cluster.Identity;
using Odock.Cluster.Membership;
using Odock.Cluster.Placement;
using Odock.Cluster.Registry;
using Odock.Cluster.Transport;

namespace Odock.Cluster.Runtime;

/// <summary>
/// Routes a grain call: in-process when this silo serves the partition, otherwise over HTTP/2 to the owner named by
/// the partition directory. A call that surely did not run (not owner, fenced, no connection) is retried, after
/// refreshing the directory, until the deadline; a call that may have run and lost its answer is never retried here
/// (the caller retries with its operation id). Past the deadline the caller gets <see cref="ClusterUnavailableException"/>.
/// </summary>
internal sealed class GrainCallInvoker
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(250);

    private readonly GrainRegistry _registry;
    private readonly ClusterSerializer _serializer;
    private readonly ActivationCatalog? _catalog;
    private readonly IPartitionDirectory? _directory;
    private readonly HttpGrainTransport? _transport;
    private readonly SiloIdentity? _self;
    private readonly ClusterMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly TimeSpan _callTimeout;
    private readonly int _partitionCount;

    public GrainCallInvoker(
        GrainRegistry registry,
        ClusterSerializer serializer,
        ClusterOptions options,
        ClusterMetrics metrics,
        TimeProvider time,
        ActivationCatalog? catalog,
        IPartitionDirectory? directory,
        HttpGrainTransport? transport,
        SiloIdentity? self)
    {
        _registry = registry;
        _serializer = serializer;
        _catalog = catalog;
        _directory = directory;
        _transport = transport;
        _self = self;
        _metrics = metrics;
        _time = time;
        _callTimeout = options.CallTimeout;
        _partitionCount = options.PartitionCount;
    }

    public GrainRegistry Registry => _registry;

    public ClusterSerializer Serializer => _serializer;

    public ClusterMetrics Metrics => _metrics;

    public Task<T> InvokeAsync<T>(GrainId id, GrainMethod method, object?[] arguments) => InvokeValueAsync<T>(id, method, arguments).AsTask();

    /// <summary>As <see cref="InvokeAsync{T}"/>, for grain methods declared with <see cref="ValueTask{TResult}"/>.</summary>
    public ValueTask<T> InvokeValueAsync<T>(GrainId id, GrainMethod method, object?[] arguments)
    {
        var deadline = new CallDeadline(_time, _callTimeout);
        var partition = StableHash.PartitionOf(id, _partitionCount);
        if (_catalog is null || _directory is not null)
        {
            return PendingCalls.Current is { } batch && Defer<T>(batch, id, method, arguments, deadline, partition) is { } deferred
                ? new(deferred)
                : new(InvokeAsync<T>(id, method, arguments, deadline, partition, started: null));
        }

        // Local mode serves every partition here. A call whose grain answers at once (most of them: the governance
        // grains keep their counters in memory) then completes without the retry loop and its state, and a method
        // declared with a ValueTask without a task.
        var call = _catalog.InvokeAsync(id, partition, _registry.ForName(id.Type), method, arguments, deadline);
        return call.IsCompletedSuccessfully
            ? new((T)call.Result!)
            : new(InvokeAsync<T>(id, method, arguments, deadline, partition, call));
    }

    /// <summary>Sends a call that a batch held, on its own (the batch's silo did not take it, or it was alone).</summary>
    internal Task<T> InvokeAloneAsync<T>(PendingCall call) => InvokeAsync<T>(call.Id, call.Method, call.Arguments, call.Deadline, call.Partition, started: null);

    /// <summary>
    /// Sends calls bound for one silo in one request and ends each with its own answer. A batch that surely did not run
    /// (the silo does not serve a partition, could not be reached, or predates batches) sends each call again on its
    /// own, through the usual retries; a batch whose answer was lost loses every call in it, as a single call would.
    /// The calls were made within the same moment with the same timeout, so the first one's deadline is the batch's.
    /// </summary>
    internal async Task SendBatchAsync(string address, PendingCall[] calls)
    {
        try
        {
            var deadline = calls[0].Deadline;
            var payload = new ArrayBufferWriter<byte>(256 * calls.Length);
            foreach (var call in calls)
            {
                CallFrames.WriteCall(payload, (Invoker: this, Call: call), static (writer, state) => state.Invoker._serializer.WriteCall(writer, state.Call.Id, state.Call.Method, state.Call.Arguments));
            }

            using var waiting = deadline.StartWaiting();
            var result = await _transport!.SendBatchAsync(address, payload.WrittenMemory, deadline.Remaining, waiting.Token).ConfigureAwait(false);
            switch (result.Outcome)
            {
                case RemoteCallOutcome.Completed when CallFrames.TryReadAnswers(result.Body, calls.Length, out var answers):
                    for (var i = 0; i < calls.Length; i++)
                    {
                        calls[i].Answer(answers[i].Status, answers[i].Body);
                    }

                    break;
                case RemoteCallOutcome.Failed:
                    foreach (var call in calls)
                    {
                        call.Fail(RemoteGrainError.ToException(result.Body));
                    }

                    break;
                case RemoteCallOutcome.NotOwner or RemoteCallOutcome.Unreachable:
                case RemoteCallOutcome.Lost when result.Status == (int)HttpStatusCode.NotFound:
                    _metrics.Redirects.Add(1);
                    if (_directory is not null)
                    {
                        await RefreshQuietlyAsync(waiting.Token).ConfigureAwait(false);
                    }

                    foreach (var call in calls)
                    {
                        call.SendAlone();
                    }

                    break;
                default:
                    foreach (var call in calls)
                    {
                        call.Fail(Lost(call.Id, address, result.Status));
                    }

                    break;
            }
        }
        catch (Exception ex)
        {
            foreach (var call in calls)
            {
                call.Fail(ex is OperationCanceledException ? TimedOut(call.Id, ex) : ex);
            }
        }
    }

    /// <summary>The failure of a call whose deadline passed before it could be completed.</summary>
    private ClusterUnavailableException TimedOut(GrainId id, Exception? lastFailure) =>
        new($"The call to {id} could not be completed within {_callTimeout.TotalMilliseconds:0} ms.", lastFailure);

    /// <summary>The failure of a call whose answer did not come back: it may or may not have run.</summary>
    internal static ClusterUnavailableException Lost(GrainId id, string address, int status) => new(status == 0
        ? $"The call to {id} on {address} got no answer; it may or may not have run."
        : $"The call to {id} on {address} ended with HTTP {status}; it may or may not have run.");

    /// <summary>
    /// Holds a call for the open batch when it would go to another silo; null when it runs here or its owner is not
    /// known yet (it then goes now, through the usual path).
    /// </summary>
    private Task<T>? Defer<T>(PendingCalls batch, GrainId id, GrainMethod method, object?[] arguments, CallDeadline deadline, int partition)
    {
        if (_transport is null || _directory is null || !_directory.TryGetOwner(partition, out var owner) || owner.Address is null
            || (_catalog is not null && _self is not null && owner.SiloId == _self.Id))
        {
            return null;
        }

        var call = new PendingCall<T>(this, id, method, arguments, deadline, partition, owner.Address);
        batch.Add(call);
        return call.Task;
    }

    /// <param name="started">The first in-process attempt, already under way, or null to start from the beginning.</param>
    private async Task<T> InvokeAsync<T>(GrainId id, GrainMethod method, object?[] arguments, CallDeadline deadline, int partition, ValueTask<object?>? started)
    {
        // The deadline becomes a timer only when this call first waits here (backoff, directory, network): an
        // in-process call that starts at once never makes one.
        CancellationTokenSource? waiting = null;
        ReadOnlyMemory<byte>? payload = null;
        Exception? lastFailure = null;
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                if (attempt > 0 && (deadline.HasPassed || !await BackOffAsync(attempt, Waiting(ref waiting, deadline)).ConfigureAwait(false)))
                {
                    break;
                }

                try
                {
                    if (_catalog is not null && _directory is null)
                    {
                        var call = started ?? _catalog.InvokeAsync(id, partition, _registry.ForName(id.Type), method, arguments, deadline);
                        started = null;
                        return (T)(await call.ConfigureAwait(false))!;
                    }

                    if (_directory!.TryGetOwner(partition, out var owner) && _self is not null && owner.SiloId == _self.Id && _catalog is not null)
                    {
                        return (T)(await _catalog.InvokeAsync(id, partition, _registry.ForName(id.Type), method, arguments, deadline).ConfigureAwait(false))!;
                    }

                    if (owner.Address is null)
                    {
                        lastFailure = new ClusterUnavailableException($"No silo serves partition {partition} yet.");
                        await _directory.RefreshAsync(Waiting(ref waiting, deadline)).ConfigureAwait(false);
                        continue;
                    }

                    payload ??= Serialize(id, method, arguments);
                    var result = await _transport!.SendAsync(owner.Address, payload.Value, deadline.Remaining, Waiting(ref waiting, deadline)).ConfigureAwait(false);
                    switch (result.Outcome)
                    {
                        case RemoteCallOutcome.Completed:
                            return _serializer.ReadValue<T>(result.Body);
                        case RemoteCallOutcome.Failed:
                            throw RemoteGrainError.ToException(result.Body);
                        case RemoteCallOutcome.Lost:
                            throw Lost(id, owner.Address, result.Status);
                        default:
                            _metrics.Redirects.Add(1);
                            lastFailure = new ClusterUnavailableException($"Partition {partition} was not served by {owner.Address} ({result.Outcome}).");
                            await _directory.RefreshAsync(Waiting(ref waiting, deadline)).ConfigureAwait(false);
                            continue;
                    }
                }
                catch (Exception ex) when (ex is NotOwnerException or GrainFencedException)
                {
                    _metrics.Redirects.Add(1);
                    lastFailure = ex;
                    if (_directory is not null)
                    {
                        await RefreshQuietlyAsync(Waiting(ref waiting, deadline)).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException ex) when (ex is CallDeadlineExceededException || waiting is { IsCancellationRequested: true } || deadline.HasPassed)
                {
                    break;
                }
                catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException)
                {
                    // The directory could not be refreshed (database unreachable): keep trying until the deadline.
                    lastFailure = ex;
                }
            }
        }
        finally
        {
            waiting?.Dispose();
        }

        throw TimedOut(id, lastFailure);
    }

    /// <summary>The token of this call's waits, created with its timer on first use.</summary>
    private static CancellationToken Waiting(ref CancellationTokenSource? waiting, CallDeadline deadline) => (waiting ??= deadline.StartWaiting()).Token;

    private ReadOnlyMemory<byte> Serialize(GrainId id, GrainMethod method, object?[] arguments)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        _serializer.WriteCall(buffer, id, method, arguments);
        return buffer.WrittenMemory;
    }

    private async Task RefreshQuietlyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _directory!.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException)
        {
        }
    }

    private async Task<bool> BackOffAsync(int attempt, CancellationToken cancellationToken)
    {
        if (attempt == 1)
        {
            return !cancellationToken.IsCancellationRequested;
        }

        var delay = TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 10 * Math.Pow(2, attempt - 2)));
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
