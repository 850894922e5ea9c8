using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Odock.Testing.Browser;

/// <summary>
/// A real headless Chromium (the one <c>scripts/test.sh</c> provisions, named by <c>ODOCK_TEST_CHROMIUM</c>) that
/// loads a page served from its own loopback origin and hands back what the page's script wrote into its
/// <c>&lt;pre id="out"&gt;</c>: what a browser lets a web page do is what the browser decides, so only a browser can
/// show it.
/// </summary>
public static partial class HeadlessBrowser
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The browser the suite runs with; fails, naming the script, when the suite was started some other way.</summary>
    public static string Executable => Environment.GetEnvironmentVariable("ODOCK_TEST_CHROMIUM") is { Length: > 0 } path
        ? path
        : throw new InvalidOperationException("ODOCK_TEST_CHROMIUM is not set. Run the suite with scripts/test.sh, which provisions a headless Chromium and sets it.");

    /// <summary>
    /// Serves <paramref name="script"/> in a page at a fresh loopback origin (<c>http://127.0.0.1:port</c>), opens it, and
    /// returns the text the script left in <c>out</c> once the page's network and timers went quiet.
    /// </summary>
    /// <param name="script">A script body that may <c>await</c>, and sets <c>out.textContent</c>.</param>
    public static async Task<string> RunAsync(string script)
    {
        var html = $$"""
            <!doctype html><html><body><pre id="out">not run</pre><script>
            const out = document.getElementById('out');
            (async () => { try { {{script}} } catch (e) { out.textContent = 'threw ' + e; } })();
            </script></body></html>
            """;
        await using var page = await PageServer.StartAsync(html);
        var profile = Directory.CreateTempSubdirectory("odock-chromium-");
        try
        {
            var start = new ProcessStartInfo(Executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", $"--user-data-dir={profile.FullName}", "--virtual-time-budget=10000", "--dump-dom", page.Address.ToString()])
            {
                start.ArgumentList.Add(argument);
            }

            using var browser = Process.Start(start) ?? throw new InvalidOperationException($"{Executable} did not start.");
            var dom = browser.StandardOutput.ReadToEndAsync();
            var errors = browser.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                await browser.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                browser.Kill(entireProcessTree: true);
                throw new TimeoutException($"Chromium did not finish the page within {Timeout.TotalSeconds} s.");
            }

            var match = Out().Match(await dom);
            return match.Success
                ? WebUtility.HtmlDecode(match.Groups[1].Value)
                : throw new InvalidOperationException($"Chromium (exit {browser.ExitCode}) gave no page output: {await errors}");
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    [GeneratedRegex("<pre id=\"out\">(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex Out();

    /// <summary>One page at its own loopback origin: a different port from the server under test, so a different origin.</summary>
    private sealed class PageServer(WebApplication app) : IAsyncDisposable
    {
        public Uri Address => new(LoopbackApp.Address(app));

        public static async Task<PageServer> StartAsync(string html)
        {
            var app = LoopbackApp.Create();
            app.MapGet("/", () => Results.Content(html, "text/html; charset=utf-8"));
            await app.StartAsync();
            return new PageServer(app);
        }

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }
}
