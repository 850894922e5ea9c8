using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Odock.Cluster.Transport;

namespace Odock.Cluster.Tests;

/// <summary>
/// The grain transport against a real HTTP/2 listener on loopback that answers as a silo would, or fails part-way:
/// each way a call can end maps to its outcome, and none escapes as an exception.
/// </summary>
public sealed class HttpGrainTransportTests : IAsyncLifetime
{
    private WebApplication? _silo;
    private string _address = "";

    public async Task InitializeAsync()
    {
        (_silo, _address) = await LoopbackSilo.StartAsync(silo =>
        {
            silo.MapPost(ClusterProtocol.CallPath, async context =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var call = await reader.ReadToEndAsync();
                switch (call)
                {
                    case "echo":
                        await context.Response.WriteAsync("answer:" + context.Request.Headers[ClusterProtocol.DeadlineHeader]);
                        break;
                    case "not-owner":
                        context.Response.StatusCode = ClusterProtocol.NotOwnerStatus;
                        await context.Response.WriteAsync("elsewhere");
                        break;
                    case "grain-error":
                        context.Response.StatusCode = ClusterProtocol.GrainErrorStatus;
                        await context.Response.WriteAsync("boom");
                        break;
                    case "cut-mid-body":
                        // Headers and part of a declared body go out; then the stream is reset.
                        context.Response.ContentLength = 1_000;
                        await context.Response.WriteAsync("partial");
                        await context.Response.Body.FlushAsync();
                        await Task.Delay(50);
                        context.Abort();
                        break;
                }
            });
        });
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_answered_call_completes_with_its_body_and_carries_the_deadline()
    {
        using var transport = new HttpGrainTransport();

        var result = await transport.SendAsync(_address, "echo"u8.ToArray(), TimeSpan.FromMilliseconds(1_234.5), CancellationToken.None);

        Assert.Equal(RemoteCallOutcome.Completed, result.Outcome);
        Assert.Equal("answer:1235", System.Text.Encoding.UTF8.GetString(result.Body));
    }

    [Theory]
    [InlineData("not-owner", nameof(RemoteCallOutcome.NotOwner), "elsewhere")]
    [InlineData("grain-error", nameof(RemoteCallOutcome.Failed), "boom")]
    public async Task A_silo_refusal_keeps_its_outcome_and_body(string call, string outcome, string body)
    {
        using var transport = new HttpGrainTransport();

        var result = await transport.SendAsync(_address, System.Text.Encoding.UTF8.GetBytes(call), TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(Enum.Parse<RemoteCallOutcome>(outcome), result.Outcome);
        Assert.Equal(body, System.Text.Encoding.UTF8.GetString(result.Body));
    }

    [Fact]
    public async Task A_stream_reset_while_the_answer_is_read_is_a_lost_call_not_an_exception()
    {
        using var transport = new HttpGrainTransport();

        var result = await transport.SendAsync(_address, "cut-mid-body"u8.ToArray(), TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(RemoteCallOutcome.Lost, result.Outcome);
        Assert.Empty(result.Body);
    }

    [Fact]
    public async Task A_silo_that_is_not_listening_is_unreachable()
    {
        using var transport = new HttpGrainTransport();
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var result = await transport.SendAsync($"http://127.0.0.1:{port}", "echo"u8.ToArray(), TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(RemoteCallOutcome.Unreachable, result.Outcome);
    }
}
