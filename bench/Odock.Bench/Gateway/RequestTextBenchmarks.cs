using System.Text;
using BenchmarkDotNet.Attributes;
using Odock.Gateway.Pipeline;

namespace Odock.Bench.Gateway;

/// <summary>
/// The check every request body passes before an endpoint reads it (<see cref="RequestText.Check"/>): valid UTF-8,
/// and no <c>\u</c> escape of half a surrogate pair. The harness's body, an agent's (a few KB of text with escapes),
/// and a 1 MiB body such as an image sent as base64.
/// </summary>
[MemoryDiagnoser]
public class RequestTextBenchmarks
{
    private byte[] _body = null!;

    [Params("harness", "agent", "1MiB")]
    public string Body { get; set; } = "harness";

    [GlobalSetup]
    public void Setup() => _body = Body switch
    {
        "harness" => ChatBodies.Harness,
        "agent" => ChatBodies.Agent,
        _ => Encoding.UTF8.GetBytes("{\"model\":\"vision\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,"
            + Convert.ToBase64String(new byte[786_432]) + "\"}}]}]}"),
    };

    [Benchmark]
    public bool Check() => RequestText.Check(_body) is null;
}
