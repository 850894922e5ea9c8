using Odock.Storage.Secrets;

namespace Odock.Silo.Hosting;

/// <summary>Loads the master key before anything can need it, so a bad key stops start-up naming the setting.</summary>
internal static class SecretsStartup
{
    public static byte[] LoadMasterKey(IConfiguration configuration)
    {
        var options = configuration.GetSection(SecretsOptions.SectionName).Get<SecretsOptions>() ?? new SecretsOptions();
        try
        {
            return MasterKeyLoader.Load(options);
        }
        catch (InvalidOperationException ex)
        {
            throw new StartupFailure(StartupFailure.BadConfiguration, ex.Message, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupFailure(StartupFailure.BadConfiguration, $"{SecretsOptions.SectionName}:KeyFile: cannot read or create '{Path.GetFullPath(options.KeyFile)}' ({ex.Message})", ex);
        }
    }
}
