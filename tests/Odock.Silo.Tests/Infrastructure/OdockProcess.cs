using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Odock.Silo.Tests.Infrastructure;

/// <summary>
/// The real <c>odock</c> executable as a child process in its own working directory: what an operator runs.
/// Captures everything it prints, finds the address Kestrel bound (tests listen on port 0), and can send SIGTERM.
/// </summary>
public sealed partial class OdockProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();

    private OdockProcess(Process process, string workingDirectory)
    {
        _process = process;
        WorkingDirectory = workingDirectory;
    }

    public string WorkingDirectory { get; }

    public string Stdout { get { lock (_gate) { return _stdout.ToString(); } } }

    public string Stderr { get { lock (_gate) { return _stderr.ToString(); } } }

    public bool HasExited => _process.HasExited;

    public static string ExecutablePath => Path.Combine(AppContext.BaseDirectory, "odock.dll");

    public static OdockProcess Start(string workingDirectory, IEnumerable<string> args, IDictionary<string, string?>? environment = null)
    {
        Directory.CreateDirectory(workingDirectory);
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(ExecutablePath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment.Remove("ODOCK_ADMIN_PASSWORD");
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var odock = new OdockProcess(process, workingDirectory);
        process.OutputDataReceived += (_, e) => odock.OnOutput(e.Data, odock._stdout);
        process.ErrorDataReceived += (_, e) => odock.OnOutput(e.Data, odock._stderr);
        process.Exited += (_, _) => odock._listening.TrySetException(new InvalidOperationException($"odock exited with {process.ExitCode} before listening.\nstdout:\n{odock.Stdout}\nstderr:\n{odock.Stderr}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return odock;
    }

    /// <summary>The bound address once Kestrel reports it.</summary>
    public async Task<Uri> WaitForListeningAsync(TimeSpan? timeout = null) =>
        await _listening.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>What an orchestrator sends to stop a container.</summary>
    public void SendSigterm()
    {
        if (kill(_process.Id, 15) != 0)
        {
            throw new InvalidOperationException($"kill(SIGTERM) failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnOutput(string? line, StringBuilder sink)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            sink.AppendLine(line);
        }

        var match = ListeningLine().Match(line);
        if (match.Success)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
