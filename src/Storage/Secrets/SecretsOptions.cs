namespace Odock.Storage.Secrets;

/// <summary>Where the master key that encrypts provider credentials comes from. Bound from <c>Odock:Secrets</c>.</summary>
public sealed class SecretsOptions
{
    public const string SectionName = "Odock:Secrets";

    /// <summary>The 32-byte key, base64. Takes precedence over <see cref="KeyFile"/>; every process of a cluster needs the same one.</summary>
    public string? MasterKey { get; set; }

    /// <summary>Read when <see cref="MasterKey"/> is unset; created on first run with a random key and 0600 permissions.</summary>
    public string KeyFile { get; set; } = "data/master.key";
}
