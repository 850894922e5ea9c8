using System.Security.Cryptography;
using Odock.Storage.Secrets;

namespace Odock.Storage.Tests.Secrets;

public sealed class SecretProtectionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("odock-keys-").FullName;

    [Fact]
    public void Same_secret_encrypts_differently_each_time_and_decrypts_back()
    {
        var protector = new AesGcmSecretProtector(RandomNumberGenerator.GetBytes(32));

        var first = protector.Protect("sk-live-secret");
        var second = protector.Protect("sk-live-secret");

        Assert.NotEqual(first, second);
        Assert.Equal("sk-live-secret", protector.Unprotect(first));
    }

    [Fact]
    public void Tampered_ciphertext_or_wrong_key_is_refused()
    {
        var protector = new AesGcmSecretProtector(RandomNumberGenerator.GetBytes(32));
        var blob = protector.Protect("sk-live-secret");
        blob[^1] ^= 1;

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(blob));
        Assert.ThrowsAny<CryptographicException>(() => new AesGcmSecretProtector(RandomNumberGenerator.GetBytes(32)).Unprotect(protector.Protect("x")));
    }

    [Fact]
    public void First_run_creates_a_key_file_readable_only_by_its_owner_and_later_runs_reuse_it()
    {
        var options = new SecretsOptions { KeyFile = Path.Combine(_directory, "nested", "master.key") };

        var created = MasterKeyLoader.Load(options);
        var reloaded = MasterKeyLoader.Load(options);

        Assert.Equal(32, created.Length);
        Assert.Equal(created, reloaded);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(options.KeyFile));
    }

    [Fact]
    public void Configured_master_key_wins_and_a_bad_one_names_the_setting()
    {
        var key = RandomNumberGenerator.GetBytes(32);

        Assert.Equal(key, MasterKeyLoader.Load(new SecretsOptions { MasterKey = Convert.ToBase64String(key), KeyFile = Path.Combine(_directory, "unused.key") }));
        Assert.False(File.Exists(Path.Combine(_directory, "unused.key")));
        var error = Assert.Throws<InvalidOperationException>(() => MasterKeyLoader.Load(new SecretsOptions { MasterKey = Convert.ToBase64String(new byte[16]) }));
        Assert.StartsWith("Odock:Secrets:MasterKey", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
