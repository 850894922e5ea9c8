using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Odock.Admin.Security;

/// <summary>
/// Sign-in passwords as PBKDF2-HMAC-SHA512 (210,000 iterations, 16-byte salt, 32-byte hash), stored as
/// <c>pbkdf2-sha512$iterations$salt$hash</c> so the cost can be raised later without breaking existing hashes.
/// </summary>
public static class PasswordHashing
{
    public const int MinimumLength = 12;
    private const string Scheme = "pbkdf2-sha512";
    private const int Iterations = 210_000;
    private const int SaltSize = 16;
    private const int HashSize = 32;

    public static string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA512, HashSize);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>True when <paramref name="password"/> matches; compares in constant time. A malformed hash never matches.</summary>
    public static bool Verify(string? storedHash, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var parts = storedHash?.Split('$');
        if (parts is not [Scheme, var iterationText, var saltText, var hashText]
            || !int.TryParse(iterationText, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            return false;
        }

        try
        {
            var expected = Convert.FromBase64String(hashText);
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(saltText), iterations, HashAlgorithmName.SHA512, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>A readable random password (24 base62 characters, ~142 bits) for generated first-run credentials.</summary>
    public static string Generate()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        return RandomNumberGenerator.GetString(alphabet, 24);
    }
}
