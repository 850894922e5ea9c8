using System.Buffers;
using System.Text;
using Odock.Cluster.Transport;

namespace Odock.Cluster.Tests;

/// <summary>The framing of a batch of grain calls and of its answers, and what it refuses to read.</summary>
public sealed class CallFramesTests
{
    [Fact]
    public void Calls_come_back_in_order_with_their_own_bytes()
    {
        var calls = new[] { "{\"t\":\"a\"}", "", new string('x', 70_000), "{}" };
        var output = new ArrayBufferWriter<byte>();
        foreach (var call in calls)
        {
            CallFrames.WriteCall(output, call, static (writer, text) => writer.Write(Encoding.UTF8.GetBytes(text)));
        }

        var body = output.WrittenMemory;
        var read = CallFrames.ReadCalls(body.Span, ClusterProtocol.MaxBatchCalls);

        Assert.Equal(calls, read.Select(range => Encoding.UTF8.GetString(body.Span[range])));
    }

    [Fact]
    public void Answers_come_back_with_their_statuses_and_bodies()
    {
        var output = new ArrayBufferWriter<byte>();
        CallFrames.WriteAnswer(output, 200, "\"first\"", static (writer, text) => writer.Write(Encoding.UTF8.GetBytes(text)));
        CallFrames.WriteAnswer<string?>(output, ClusterProtocol.NotOwnerStatus, null, null);
        CallFrames.WriteAnswer(output, ClusterProtocol.GrainErrorStatus, "{\"type\":\"X\",\"message\":\"boom\"}", static (writer, text) => writer.Write(Encoding.UTF8.GetBytes(text)));

        Assert.True(CallFrames.TryReadAnswers(output.WrittenMemory, 3, out var answers));

        Assert.Equal([200, ClusterProtocol.NotOwnerStatus, ClusterProtocol.GrainErrorStatus], answers.Select(a => a.Status));
        Assert.Equal(["\"first\"", "", "{\"type\":\"X\",\"message\":\"boom\"}"], answers.Select(a => Encoding.UTF8.GetString(a.Body.Span)));
    }

    [Fact]
    public void Answers_that_do_not_add_up_to_the_calls_are_refused()
    {
        var output = new ArrayBufferWriter<byte>();
        CallFrames.WriteAnswer(output, 200, "1", static (writer, text) => writer.Write(Encoding.UTF8.GetBytes(text)));
        CallFrames.WriteAnswer(output, 200, "2", static (writer, text) => writer.Write(Encoding.UTF8.GetBytes(text)));
        var body = output.WrittenMemory;

        Assert.True(CallFrames.TryReadAnswers(body, 2, out _));
        Assert.False(CallFrames.TryReadAnswers(body, 3, out _));
        Assert.False(CallFrames.TryReadAnswers(body, 1, out _));
        Assert.False(CallFrames.TryReadAnswers(body[..^1], 2, out _));
        Assert.False(CallFrames.TryReadAnswers(body[..5], 1, out _));
    }

    [Theory]
    [InlineData(new byte[] { 1, 0 })]
    [InlineData(new byte[] { 5, 0, 0, 0, (byte)'a' })]
    [InlineData(new byte[] { 0xff, 0xff, 0xff, 0xff, (byte)'a' })]
    public void A_cut_or_overlong_call_frame_is_refused(byte[] body) =>
        Assert.Throws<InvalidDataException>(() => CallFrames.ReadCalls(body, ClusterProtocol.MaxBatchCalls));

    [Fact]
    public void A_batch_over_the_limit_is_refused()
    {
        var output = new ArrayBufferWriter<byte>();
        for (var i = 0; i <= ClusterProtocol.MaxBatchCalls; i++)
        {
            CallFrames.WriteCall(output, i, static (writer, _) => writer.Write("{}"u8));
        }

        Assert.Throws<InvalidDataException>(() => CallFrames.ReadCalls(output.WrittenSpan, ClusterProtocol.MaxBatchCalls));
        Assert.Equal(ClusterProtocol.MaxBatchCalls, CallFrames.ReadCalls(output.WrittenSpan[..^6], ClusterProtocol.MaxBatchCalls).Count);
    }
}
