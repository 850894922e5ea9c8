using System.Text.Json;
using System.Text.Json.Serialization;

namespace Odock.Cluster.Transport;

/// <summary>What a silo answers when a grain method throws.</summary>
internal sealed record RemoteGrainError(string Type, string Message)
{
    /// <summary>What a silo says of an exception a call ended with.</summary>
    public static RemoteGrainError Of(Exception exception) => new(exception.GetType().FullName ?? exception.GetType().Name, exception.Message);

    /// <summary>The exception a caller sees for an error answer's body.</summary>
    public static GrainCallException ToException(ReadOnlySpan<byte> body)
    {
        RemoteGrainError? error = null;
        try
        {
            error = body.IsEmpty ? null : JsonSerializer.Deserialize(body, TransportJsonContext.Default.RemoteGrainError);
        }
        catch (JsonException)
        {
        }

        return new GrainCallException(error?.Type ?? "unknown", error?.Message ?? "The grain call failed.");
    }
}

[JsonSerializable(typeof(RemoteGrainError))]
internal sealed partial class TransportJsonContext : JsonSerializerContext;
