using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Odock.Cluster.Activation;
using Odock.Cluster.Identity;
using Odock.Cluster.Registry;

namespace Odock.Cluster.Transport;

/// <summary>
/// The receiving end of grain calls: parse, check ownership, run on the activation, answer. A batch
/// (<see cref="ClusterProtocol.BatchPath"/>) starts all its calls before awaiting any, so calls on different grains run
/// side by side and calls on one grain take their turns, as they would have as separate requests; each gets the answer
/// it would have had alone.
/// </summary>
internal static class GrainCallEndpoint
{
    public static async Task HandleAsync(HttpContext context, ActivationCatalog catalog)
    {
        var reader = context.Request.BodyReader;
        var body = await ReadBodyAsync(reader, context.RequestAborted).ConfigureAwait(false);
        // The caller's deadline, on the real clock; it costs a timer only if the call has to wait.
        var deadline = new CallDeadline(TimeProvider.System, DeadlineOf(context.Request), context.RequestAborted);
        var call = Start(catalog, Bytes(body), deadline);
        reader.AdvanceTo(body.End);
        var answer = await AnswerAsync(call, catalog, deadline).ConfigureAwait(false);
        context.Response.StatusCode = answer.Status;
        if (answer.HasBody)
        {
            context.Response.ContentType = "application/json";
            answer.WriteBody(context.Response.BodyWriter, catalog);
            await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }

    public static async Task HandleBatchAsync(HttpContext context, ActivationCatalog catalog)
    {
        var reader = context.Request.BodyReader;
        var body = await ReadBodyAsync(reader, context.RequestAborted).ConfigureAwait(false);
        var deadline = new CallDeadline(TimeProvider.System, DeadlineOf(context.Request), context.RequestAborted);
        catalog.Metrics.Batches.Add(1);
        StartedCall[] calls;
        try
        {
            var bytes = Bytes(body);
            var frames = CallFrames.ReadCalls(bytes.Span, ClusterProtocol.MaxBatchCalls);
            calls = new StartedCall[frames.Count];
            for (var i = 0; i < calls.Length; i++)
            {
                calls[i] = Start(catalog, bytes[frames[i]], deadline);
            }
        }
        catch (InvalidDataException ex)
        {
            context.Response.StatusCode = ClusterProtocol.MalformedCallStatus;
            await context.Response.WriteAsync(ErrorJson(ex), context.RequestAborted).ConfigureAwait(false);
            return;
        }
        finally
        {
            reader.AdvanceTo(body.End);
        }

        var output = new ArrayBufferWriter<byte>(64 * calls.Length);
        foreach (var call in calls)
        {
            var answer = await AnswerAsync(call, catalog, deadline).ConfigureAwait(false);
            CallFrames.WriteAnswer(output, answer.Status, (answer, catalog), answer.HasBody ? static (writer, state) => state.answer.WriteBody(writer, state.catalog) : null);
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/octet-stream";
        await context.Response.BodyWriter.WriteAsync(output.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Reads one call and starts it on its activation; a call that cannot be read or started carries why, and does not run.</summary>
    private static StartedCall Start(ActivationCatalog catalog, ReadOnlyMemory<byte> json, CallDeadline deadline)
    {
        try
        {
            var (id, type, method, arguments) = catalog.Serializer.ReadCall(json.Span, catalog.Registry);
            return new StartedCall(method, catalog.InvokeAsync(id, type, method, arguments, deadline), null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new StartedCall(null, default, ex);
        }
    }

    /// <summary>Awaits a started call and says how it ended, as the status and body of its answer.</summary>
    private static async ValueTask<Answer> AnswerAsync(StartedCall call, ActivationCatalog catalog, CallDeadline deadline)
    {
        if (call.NotStarted is { } notStarted)
        {
            return new Answer(notStarted is JsonException ? ClusterProtocol.MalformedCallStatus : ClusterProtocol.GrainErrorStatus, null, null, notStarted);
        }

        try
        {
            return new Answer(StatusCodes.Status200OK, await call.Running.ConfigureAwait(false), call.Method!.ResultType, null);
        }
        catch (NotOwnerException)
        {
            catalog.Metrics.Redirects.Add(1);
            return new Answer(ClusterProtocol.NotOwnerStatus, null, null, null);
        }
        catch (Exception ex) when (ex is GrainFencedException or ActivationGoneException or ClusterUnavailableException)
        {
            return new Answer(ClusterProtocol.RetryStatus, null, null, null);
        }
        catch (OperationCanceledException ex) when (ex is CallDeadlineExceededException || deadline.HasPassed)
        {
            return new Answer(StatusCodes.Status504GatewayTimeout, null, null, null);
        }
        catch (Exception ex)
        {
            return new Answer(ClusterProtocol.GrainErrorStatus, null, null, ex);
        }
    }

    /// <summary>The buffered body as one block: a call's few hundred bytes arrive in one segment, a batch may not.</summary>
    private static ReadOnlyMemory<byte> Bytes(ReadOnlySequence<byte> body) => body.IsSingleSegment ? body.First : body.ToArray();

    /// <summary>Waits until the whole body is buffered; the caller reads its calls, then releases it.</summary>
    private static async ValueTask<ReadOnlySequence<byte>> ReadBodyAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (read.IsCompleted || read.IsCanceled)
            {
                return read.Buffer;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private static TimeSpan DeadlineOf(HttpRequest request) =>
        request.Headers.TryGetValue(ClusterProtocol.DeadlineHeader, out var header)
        && long.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
            ? TimeSpan.FromMilliseconds(Math.Max(1, milliseconds))
            : Timeout.InfiniteTimeSpan;

    private static string ErrorJson(Exception exception) =>
        JsonSerializer.Serialize(RemoteGrainError.Of(exception), TransportJsonContext.Default.RemoteGrainError);

    /// <summary>A call read and started (<see cref="Running"/>), or one that could not be (<see cref="NotStarted"/>: malformed when a <see cref="JsonException"/>).</summary>
    private readonly record struct StartedCall(GrainMethod? Method, ValueTask<object?> Running, Exception? NotStarted);

    /// <summary>How a call ended: its status, and its result or the exception that its body names.</summary>
    private readonly record struct Answer(int Status, object? Value, Type? ValueType, Exception? Error)
    {
        public bool HasBody => Status == StatusCodes.Status200OK || Error is not null;

        public void WriteBody(IBufferWriter<byte> output, ActivationCatalog catalog)
        {
            if (Error is { } error)
            {
                using var writer = new Utf8JsonWriter(output);
                JsonSerializer.Serialize(writer, RemoteGrainError.Of(error), TransportJsonContext.Default.RemoteGrainError);
            }
            else
            {
                catalog.Serializer.WriteValue(output, Value, ValueType);
            }
        }
    }
}
