using Microsoft.AspNetCore.Http;
using Odock.Gateway.Resolution;

namespace Odock.Gateway.Operations;

/// <summary>What an operation adapter needs: the parsed request, where it goes, the client's surface and the request id.</summary>
internal sealed record OperationCall(OperationRequest Request, ResolvedModel Target, string RequestId, HttpContext Context, IOperationSurface Surface)
{
    public Task WriteErrorAsync(Errors.GatewayError error) => Surface.WriteErrorAsync(Context, error);
}
