using Odock.Silo.Tests.Infrastructure;
using Odock.Testing;

namespace Odock.Silo.Tests;

/// <summary>First start of the executable: credentials shown once, the example configuration imported, bad files refused.</summary>
public sealed class FirstRunTests : IDisposable
{
    private static readonly Dictionary<string, string?> DemoEnvironment = new()
    {
        ["ODOCK_DEMO_ADMIN_PASSWORD"] = "change-me-please",
        ["ODOCK_DEMO_SUPPORT_KEY"] = "odk-" + new string('a', 43),
        ["ODOCK_DEMO_DEV_KEY"] = "odk-" + new string('b', 43),
        ["ODOCK_ADMIN_PASSWORD"] = null,
    };

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "odock-firstrun-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task First_start_prints_the_admin_credentials_once_and_imports_the_example()
    {
        string[] args = ["--listen", "http://127.0.0.1:0", "--config", RepositoryRoot.File("examples", "odock.yaml")];
        string firstOutput;
        await using (var first = OdockProcess.Start(_directory, args, DemoEnvironment))
        {
            await first.WaitForListeningAsync();
            firstOutput = first.Stdout;
        }

        await using var second = OdockProcess.Start(_directory, args, DemoEnvironment);
        await second.WaitForListeningAsync();

        Assert.Contains("Super admin:      admin@odock.local", firstOutput, StringComparison.Ordinal);
        Assert.Matches(@"Admin API token:  odka-[0-9A-Za-z]{43}", firstOutput);
        Assert.Contains("model: 3 created", firstOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Super admin:", second.Stdout, StringComparison.Ordinal);
        Assert.Contains("model: 0 created, 0 updated, 3 unchanged", second.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_directory, "data", "master.key")));
    }

    [Fact]
    public async Task Configuration_file_with_a_missing_variable_stops_start_up_naming_the_line()
    {
        var file = Path.Combine(_directory, "broken.yaml");
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(file, "version: 1\norganisations:\n  - name: acme\n    providers:\n      - name: p\n        type: openai\n        keys:\n          - name: k\n            secret: ${ODOCK_TEST_UNSET_VARIABLE}\n");

        await using var odock = OdockProcess.Start(_directory, ["--listen", "http://127.0.0.1:0", "--config", file], DemoEnvironment);
        var exitCode = await odock.WaitForExitAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains($"{file}:9:", odock.Stderr, StringComparison.Ordinal);
        Assert.Contains("ODOCK_TEST_UNSET_VARIABLE", odock.Stderr, StringComparison.Ordinal);
    }
}
