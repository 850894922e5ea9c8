using Microsoft.Extensions.Options;

namespace Odock.Silo.Hosting;

/// <summary>Fails start-up on a bad process setting, naming the setting and what is wrong with it.</summary>
internal sealed class OdockHostOptionsValidator : IValidateOptions<OdockHostOptions>
{
    public ValidateOptionsResult Validate(string? name, OdockHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!OdockRolesParser.TryParse(options.Roles, out _, out var rolesError))
        {
            failures.Add($"Odock:Roles: {rolesError}");
        }

        if (!Uri.TryCreate(options.Listen, UriKind.Absolute, out var listen) || (listen.Scheme != Uri.UriSchemeHttp && listen.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"Odock:Listen: '{options.Listen}' is not an http:// or https:// address such as http://127.0.0.1:8080");
        }
        else if (listen.Host is not ("localhost" or "0.0.0.0" or "[::]") && !System.Net.IPAddress.TryParse(listen.Host.Trim('[', ']'), out _))
        {
            failures.Add($"Odock:Listen: '{listen.Host}' must be an IP address, localhost or 0.0.0.0 (Kestrel binds addresses, not host names)");
        }

        if (options.ConfigFile is { Length: > 0 } file && !File.Exists(file))
        {
            failures.Add($"Odock:ConfigFile: the file '{file}' does not exist");
        }

        if (options.MaxWorkerThreads is { } workers && (workers < Environment.ProcessorCount || workers > 32_767))
        {
            failures.Add($"Odock:MaxWorkerThreads: '{workers}' must be between the cores this process may use ({Environment.ProcessorCount}) and 32767");
        }

        if (options.ShutdownTimeout <= TimeSpan.Zero || options.ShutdownTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"Odock:ShutdownTimeout: '{options.ShutdownTimeout}' must be between 00:00:01 and 00:10:00");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
