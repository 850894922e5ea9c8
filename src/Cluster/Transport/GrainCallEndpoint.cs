using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Odock.Cluster.Activation;
using Odock.Cluster.Identity;
using Odock.Cluster.Registry;

namespace Odock.Cluster.Transport;

/// <summary>The receiving end of a grain call: parse, check ownership, run on the activation, answer.</summary>
internal static class GrainCallEndpoint
{
    public static async Task HandleAsync(HttpContext context, ActivationCatalog catalog)
    {
        var reader = context.Request.BodyReader;
        var body = await ReadBodyAsync(reader, context.RequestAborted).ConfigureAwait(false);
        // The caller's deadline, on the real clock; it costs a timer only if the call has to wait.
        var deadline = new CallDeadline(TimeProvider.System, DeadlineOf(context.Request), context.RequestAborted);
        GrainMethod method;
        object? result;
        try
        {
            var (id, type, parsedMethod, arguments) = ReadCall(reader, body, catalog);
            method = parsedMethod;
            result = await catalog.InvokeAsync(id, type, method, arguments, deadline).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await WriteErrorAsync(context, ClusterProtocol.MalformedCallStatus, ex).ConfigureAwait(false);
            return;
        }
        catch (NotOwnerException)
        {
            catalog.Metrics.Redirects.Add(1);
            context.Response.StatusCode = ClusterProtocol.NotOwnerStatus;
            return;
        }
        catch (Exception ex) when (ex is GrainFencedException or ActivationGoneException or ClusterUnavailableException)
        {
            context.Response.StatusCode = ClusterProtocol.RetryStatus;
            return;
        }
        catch (OperationCanceledException ex) when (ex is CallDeadlineExceededException || deadline.HasPassed)
        {
            context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
            return;
        }
        catch (Exception ex)
        {
            await WriteErrorAsync(context, ClusterProtocol.GrainErrorStatus, ex).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        catalog.Serializer.WriteValue(context.Response.BodyWriter, result, method.ResultType);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Waits until the whole body is buffered; the caller consumes it with <see cref="ReadCall"/>.</summary>
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

    /// <summary>Parses the call straight from the request buffer (a call's few hundred bytes arrive in one segment), then releases it.</summary>
    private static (GrainId Id, GrainTypeInfo Type, GrainMethod Method, object?[] Arguments) ReadCall(PipeReader reader, ReadOnlySequence<byte> body, ActivationCatalog catalog)
    {
        try
        {
            return body.IsSingleSegment
                ? catalog.Serializer.ReadCall(body.FirstSpan, catalog.Registry)
                : catalog.Serializer.ReadCall(body.ToArray(), catalog.Registry);
        }
        finally
        {
            reader.AdvanceTo(body.End);
        }
    }

    private static TimeSpan DeadlineOf(HttpRequest request) =>
        request.Headers.TryGetValue(ClusterProtocol.DeadlineHeader, out var header)
        && long.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
            ? TimeSpan.FromMilliseconds(Math.Max(1, milliseconds))
            : Timeout.InfiniteTimeSpan;

    private static Task WriteErrorAsync(HttpContext context, int status, Exception exception)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(
            JsonSerializer.Serialize(new RemoteGrainError(exception.GetType().FullName ?? exception.GetType().Name, exception.Message), TransportJsonContext.Default.RemoteGrainError),
            context.RequestAborted);
    }
}
