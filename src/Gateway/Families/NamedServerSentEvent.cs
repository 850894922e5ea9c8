using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Odock.Gateway.Families;

/// <summary>
/// One server-sent event with a name (<c>event: {type}</c>) and a JSON object as its data, flushed at once so the client
/// sees it as it happens: the typed streams of the Responses API and of Odock chat.
/// </summary>
internal static class NamedServerSentEvent
{
    /// <param name="body">Writes the data object's properties.</param>
    public static async Task WriteAsync(HttpResponse response, string type, Action<Utf8JsonWriter> body, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write("event: "u8);
        buffer.Write(Encoding.UTF8.GetBytes(type));
        buffer.Write("\ndata: "u8);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        buffer.Write("\n\n"u8);
        await response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
