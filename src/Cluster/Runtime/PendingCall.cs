using Odock.Cluster.Activation;
using Odock.Cluster.Identity;
using Odock.Cluster.Registry;
using Odock.Cluster.Transport;

namespace Odock.Cluster.Runtime;

/// <summary>A remote call held by an open batch until it is sent; its caller already holds <see cref="PendingCall{T}.Task"/>.</summary>
internal abstract class PendingCall(GrainCallInvoker invoker, GrainId id, GrainMethod method, object?[] arguments, CallDeadline deadline, int partition, string address)
{
    public GrainCallInvoker Invoker { get; } = invoker;

    public GrainId Id { get; } = id;

    public GrainMethod Method { get; } = method;

    public object?[] Arguments { get; } = arguments;

    public CallDeadline Deadline { get; } = deadline;

    public int Partition { get; } = partition;

    /// <summary>The silo the directory named when the call was made.</summary>
    public string Address { get; } = address;

    /// <summary>Sends the call on its own, through the invoker's usual path with its retries.</summary>
    public abstract void SendAlone();

    /// <summary>Ends the call with its own answer from a batch.</summary>
    public abstract void Answer(int status, ReadOnlyMemory<byte> body);

    /// <summary>Ends the call with an exception, unless it has ended already.</summary>
    public abstract void Fail(Exception exception);
}

/// <inheritdoc />
internal sealed class PendingCall<T>(GrainCallInvoker invoker, GrainId id, GrainMethod method, object?[] arguments, CallDeadline deadline, int partition, string address)
    : PendingCall(invoker, id, method, arguments, deadline, partition, address)
{
    private readonly TaskCompletionSource<T> _result = new();

    public Task<T> Task => _result.Task;

    public override void SendAlone() => _ = ForwardAsync(Invoker.InvokeAloneAsync<T>(this));

    /// <summary>As the usual path reads a single call's answer: a call that surely did not run goes again on its own.</summary>
    public override void Answer(int status, ReadOnlyMemory<byte> body)
    {
        try
        {
            switch (ClusterProtocol.OutcomeOf(status))
            {
                case RemoteCallOutcome.Completed:
                    _result.TrySetResult(Invoker.Serializer.ReadValue<T>(body.Span));
                    break;
                case RemoteCallOutcome.Failed:
                    _result.TrySetException(RemoteGrainError.ToException(body.Span));
                    break;
                case RemoteCallOutcome.NotOwner:
                    Invoker.Metrics.Redirects.Add(1);
                    SendAlone();
                    break;
                default:
                    _result.TrySetException(GrainCallInvoker.Lost(Id, Address, status));
                    break;
            }
        }
        catch (Exception ex)
        {
            _result.TrySetException(ex);
        }
    }

    public override void Fail(Exception exception) => _result.TrySetException(exception);

    private async Task ForwardAsync(Task<T> call)
    {
        try
        {
            _result.TrySetResult(await call.ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            _result.TrySetException(ex);
        }
    }
}
