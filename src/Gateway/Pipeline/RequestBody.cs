using System.Buffers;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;

namespace Odock.Gateway.Pipeline;

/// <summary>
/// Reads a request body up to a limit, whatever Content-Length claimed, into an array of its own (so
/// <see cref="RequestText.Check"/> may repair it in place); null when it is larger.
/// </summary>
internal static class RequestBody
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<byte[]?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (read.Buffer.Length > limit)
            {
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                return null;
            }

            if (read.IsCompleted)
            {
                var bytes = read.Buffer.ToArray();
                reader.AdvanceTo(read.Buffer.End);
                return bytes;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }
}
