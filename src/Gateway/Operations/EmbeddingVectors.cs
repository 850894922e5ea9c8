using System.Buffers.Binary;
using System.Text.Json;

namespace Odock.Gateway.Operations;

/// <summary>
/// Embedding vectors as OpenAI writes them: JSON numbers, or (<c>encoding_format: base64</c>) the base64 of the
/// little-endian float32 values, which the official SDKs ask for by default.
/// </summary>
internal static class EmbeddingVectors
{
    public static void Write(Utf8JsonWriter writer, string name, ReadOnlySpan<float> vector, bool base64)
    {
        if (base64)
        {
            var bytes = new byte[vector.Length * sizeof(float)];
            for (var i = 0; i < vector.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
            }

            writer.WriteBase64String(name, bytes);
            return;
        }

        writer.WriteStartArray(name);
        foreach (var value in vector)
        {
            writer.WriteNumberValue(value);
        }

        writer.WriteEndArray();
    }

    /// <summary>A vector in either encoding.</summary>
    public static float[] Read(JsonElement vector)
    {
        if (vector.ValueKind == JsonValueKind.String)
        {
            var bytes = vector.GetBytesFromBase64();
            var values = new float[bytes.Length / sizeof(float)];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
            }

            return values;
        }

        return vector.EnumerateArray().Select(v => v.GetSingle()).ToArray();
    }
}
