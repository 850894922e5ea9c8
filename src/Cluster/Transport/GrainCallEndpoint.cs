using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Odock.Cluster.Activation;
using Odock.Cluster.Registry;

namespace Odock.Cluster.Transport;

/// <summary>The receiving end of a grain call: parse, check ownership, run on the activation, answer.</summary>
internal static class GrainCallEndpoint
{
    public static async Task HandleAsync(HttpContext context, ActivationCatalog catalog)
    {
        var body = await ReadBodyAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        if (context.Request.Headers.TryGetValue(ClusterProtocol.DeadlineHeader, out var header)
            && long.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
        {
            deadline.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(1, milliseconds)));
        }

        GrainMethod method;
        object? result;
        try
        {
            var (id, type, parsedMethod, arguments) = catalog.Serializer.ReadCall(body, catalog.Registry);
            method = parsedMethod;
            result = await catalog.InvokeAsync(id, type, method, arguments, deadline.Token).ConfigureAwait(false);
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
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
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

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (read.IsCompleted || read.IsCanceled)
            {
                var bytes = read.Buffer.ToArray();
                reader.AdvanceTo(read.Buffer.End);
                return bytes;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private static Task WriteErrorAsync(HttpContext context, int status, Exception exception)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(
            JsonSerializer.Serialize(new RemoteGrainError(exception.GetType().FullName ?? exception.GetType().Name, exception.Message), TransportJsonContext.Default.RemoteGrainError),
            context.RequestAborted);
    }
}
