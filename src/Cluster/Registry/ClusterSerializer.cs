using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Odock.Cluster.Identity;

namespace Odock.Cluster.Registry;

/// <summary>
/// Grain calls and grain state as JSON through the source-generated contracts the grain assemblies register
/// (<see cref="ClusterJsonOptions"/>). A call is <c>{"t":type,"k":key,"m":method,"a":[arguments]}</c>; a result is the
/// bare JSON value. Reading is one pass over a <see cref="Utf8JsonReader"/>, no intermediate DOM.
/// </summary>
internal sealed class ClusterSerializer
{
    private readonly JsonSerializerOptions _options;

    public ClusterSerializer(IEnumerable<IJsonTypeInfoResolver> resolvers)
    {
        _options = new JsonSerializerOptions
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine([.. resolvers, ClusterJsonContext.Default]),
        };
        _options.MakeReadOnly();
    }

    public JsonTypeInfo TypeInfo(Type type) => _options.GetTypeInfo(type);

    public void WriteCall(IBufferWriter<byte> output, GrainId id, GrainMethod method, object?[] arguments)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("t"u8, id.Type);
        writer.WriteString("k"u8, id.Key);
        writer.WriteString("m"u8, method.Id);
        writer.WriteStartArray("a"u8);
        for (var i = 0; i < arguments.Length; i++)
        {
            JsonSerializer.Serialize(writer, arguments[i], TypeInfo(method.ParameterTypes[i]));
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Reads the call's identity and method, then its arguments typed by the method's parameters.</summary>
    public (GrainId Id, GrainTypeInfo Type, GrainMethod Method, object?[] Arguments) ReadCall(ReadOnlySpan<byte> json, GrainRegistry registry)
    {
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        var type = ReadProperty(ref reader, "t"u8);
        var key = ReadProperty(ref reader, "k"u8);
        var methodId = ReadProperty(ref reader, "m"u8);
        if (!registry.TryGetByName(type, out var grainType))
        {
            throw new JsonException($"Unknown grain type '{type}'.");
        }

        if (!grainType.MethodsById.TryGetValue(methodId, out var method))
        {
            throw new JsonException($"Grain type '{type}' has no method '{methodId}'.");
        }

        Expect(ref reader, JsonTokenType.PropertyName);
        if (!reader.ValueTextEquals("a"u8))
        {
            throw new JsonException("Expected the arguments property 'a'.");
        }

        Expect(ref reader, JsonTokenType.StartArray);
        var arguments = new object?[method.ParameterTypes.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            reader.Read();
            arguments[i] = JsonSerializer.Deserialize(ref reader, TypeInfo(method.ParameterTypes[i]));
        }

        Expect(ref reader, JsonTokenType.EndArray);
        return (new GrainId(type, key), grainType, method, arguments);
    }

    public void WriteValue(IBufferWriter<byte> output, object? value, Type? type)
    {
        using var writer = new Utf8JsonWriter(output);
        if (type is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            JsonSerializer.Serialize(writer, value, TypeInfo(type));
        }
    }

    public T ReadValue<T>(ReadOnlySpan<byte> json) => (T)JsonSerializer.Deserialize(json, TypeInfo(typeof(T)))!;

    public object? ReadValue(ReadOnlySpan<byte> json, Type type) => JsonSerializer.Deserialize(json, TypeInfo(type));

    public string WriteState(object state, Type type) => JsonSerializer.Serialize(state, TypeInfo(type));

    private static string ReadProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        Expect(ref reader, JsonTokenType.PropertyName);
        if (!reader.ValueTextEquals(name))
        {
            throw new JsonException($"Expected property '{System.Text.Encoding.UTF8.GetString(name)}'.");
        }

        Expect(ref reader, JsonTokenType.String);
        return reader.GetString()!;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (!reader.Read() || reader.TokenType != token)
        {
            throw new JsonException($"Malformed grain call: expected {token}.");
        }
    }
}

/// <summary>Contracts the runtime itself needs: primitives that grain methods commonly take and return.</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(decimal))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(Guid))]
[JsonSerializable(typeof(DateTimeOffset))]
[JsonSerializable(typeof(TimeSpan))]
[JsonSerializable(typeof(object))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class ClusterJsonContext : JsonSerializerContext;
