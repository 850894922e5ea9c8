using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Odock.Cluster.Transport;

/// <summary>
/// The bodies of a batch of grain calls (<see cref="ClusterProtocol.BatchPath"/>). A request is a run of calls, each
/// its length (4 bytes, little-endian) then the call as <see cref="ClusterProtocol.CallPath"/> takes it; the answer is
/// one frame per call in the same order, each its status (the status the single call would have answered with),
/// its length (4 bytes each, little-endian), then the body the single call would have had.
/// </summary>
internal static class CallFrames
{
    private const int LengthSize = sizeof(int);
    private const int AnswerHeaderSize = 2 * sizeof(int);

    /// <summary>Writes one call: its length, then what <paramref name="writeCall"/> writes.</summary>
    public static void WriteCall<TState>(ArrayBufferWriter<byte> output, TState state, Action<IBufferWriter<byte>, TState> writeCall)
    {
        var start = output.WrittenCount;
        output.GetSpan(LengthSize);
        output.Advance(LengthSize);
        writeCall(output, state);
        BinaryPrimitives.WriteInt32LittleEndian(Writable(output, start, LengthSize), output.WrittenCount - start - LengthSize);
    }

    /// <summary>Where each call of a request body lies; <see cref="InvalidDataException"/> when the frames do not add up.</summary>
    public static List<Range> ReadCalls(ReadOnlySpan<byte> body, int maxCalls)
    {
        var calls = new List<Range>();
        var at = 0;
        while (at < body.Length)
        {
            if (calls.Count == maxCalls)
            {
                throw new InvalidDataException($"A batch holds at most {maxCalls} calls.");
            }

            if (!TryReadFrame(body, at, LengthSize, out var length))
            {
                throw new InvalidDataException("A batch frame is cut short, or its length runs past the body.");
            }

            at += LengthSize;
            calls.Add(new Range(at, at + length));
            at += length;
        }

        return calls;
    }

    /// <summary>Writes one answer: its status, its length, then what <paramref name="writeBody"/> writes (nothing when null).</summary>
    public static void WriteAnswer<TState>(ArrayBufferWriter<byte> output, int status, TState state, Action<IBufferWriter<byte>, TState>? writeBody)
    {
        var start = output.WrittenCount;
        output.GetSpan(AnswerHeaderSize);
        output.Advance(AnswerHeaderSize);
        writeBody?.Invoke(output, state);
        var header = Writable(output, start, AnswerHeaderSize);
        BinaryPrimitives.WriteInt32LittleEndian(header, status);
        BinaryPrimitives.WriteInt32LittleEndian(header[LengthSize..], output.WrittenCount - start - AnswerHeaderSize);
    }

    /// <summary>
    /// The answers of a batch of <paramref name="count"/> calls, in order, as (status, body); false when the body does not hold
    /// exactly that many well-formed frames.
    /// </summary>
    public static bool TryReadAnswers(ReadOnlyMemory<byte> body, int count, out (int Status, ReadOnlyMemory<byte> Body)[] answers)
    {
        answers = new (int, ReadOnlyMemory<byte>)[count];
        var span = body.Span;
        var at = 0;
        for (var i = 0; i < count; i++)
        {
            if (!TryReadFrame(span, at, AnswerHeaderSize, out var length))
            {
                return false;
            }

            var status = BinaryPrimitives.ReadInt32LittleEndian(span[at..]);
            at += AnswerHeaderSize;
            answers[i] = (status, body.Slice(at, length));
            at += length;
        }

        return at == span.Length;
    }

    /// <summary>
    /// The length of the frame at <paramref name="at"/>, whose header of <paramref name="headerSize"/> bytes ends with it;
    /// false when the header is cut short or the frame runs past the body.
    /// </summary>
    private static bool TryReadFrame(ReadOnlySpan<byte> body, int at, int headerSize, out int length)
    {
        length = 0;
        if (body.Length - at < headerSize)
        {
            return false;
        }

        length = BinaryPrimitives.ReadInt32LittleEndian(body[(at + headerSize - LengthSize)..]);
        return length >= 0 && length <= body.Length - at - headerSize;
    }

    /// <summary>Bytes already written, to fill in a header once what follows it is known.</summary>
    private static Span<byte> Writable(ArrayBufferWriter<byte> output, int start, int length) =>
        MemoryMarshal.AsMemory(output.WrittenMemory).Span.Slice(start, length);
}
