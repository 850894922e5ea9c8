using System.Security.Cryptography;

namespace Odock.Storage.Secrets;

/// <summary>Finds the master key: from configuration, else from the key file, else by creating the key file.</summary>
public static class MasterKeyLoader
{
    /// <summary>Loads (or creates) the key. Errors name the setting at fault, never the key itself.</summary>
    public static byte[] Load(SecretsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.MasterKey))
        {
            return Decode(options.MasterKey, $"{SecretsOptions.SectionName}:MasterKey");
        }

        if (string.IsNullOrWhiteSpace(options.KeyFile))
        {
            throw new InvalidOperationException($"{SecretsOptions.SectionName}:KeyFile: must name a file when {SecretsOptions.SectionName}:MasterKey is not set");
        }

        var path = Path.GetFullPath(options.KeyFile);
        if (File.Exists(path))
        {
            return Decode(File.ReadAllText(path).Trim(), $"{SecretsOptions.SectionName}:KeyFile ({path})");
        }

        return Create(path);
    }

    private static byte[] Create(string path)
    {
        var key = RandomNumberGenerator.GetBytes(AesGcmSecretProtector.KeySize);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, streamOptions);
            writer.Write(Convert.ToBase64String(key));
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs, so both encrypt with the same key.
            return Decode(File.ReadAllText(path).Trim(), $"{SecretsOptions.SectionName}:KeyFile ({path})");
        }
    }

    private static byte[] Decode(string text, string setting)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"{setting}: the master key is not base64", ex);
        }

        return key.Length == AesGcmSecretProtector.KeySize
            ? key
            : throw new InvalidOperationException($"{setting}: the master key must decode to {AesGcmSecretProtector.KeySize} bytes, not {key.Length}");
    }
}
