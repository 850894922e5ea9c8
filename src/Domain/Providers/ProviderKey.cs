using Odock.Domain.Common;

namespace Odock.Domain.Providers;

/// <summary>
/// An upstream credential. Held only as ciphertext (<see cref="EncryptedSecret"/>, AES-GCM under the installation's
/// master key); <see cref="SecretHint"/> keeps the last four characters so admins can tell keys apart.
/// </summary>
public sealed record ProviderKey : IValidatable
{
    public required Guid Id { get; init; }

    public required Guid ProviderId { get; init; }

    /// <summary>Unique within the provider (<c>production</c>, <c>batch</c>).</summary>
    public required string Name { get; init; }

    public required byte[] EncryptedSecret { get; init; }

    public required string SecretHint { get; init; }

    public bool Enabled { get; init; } = true;

    public required DateTimeOffset CreatedAt { get; init; }

    public static string HintOf(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return secret.Length <= 8 ? "…" : "…" + secret[^4..];
    }

    public IReadOnlyList<ValidationProblem> Validate()
    {
        var validator = new Validator()
            .NotEmpty("id", Id)
            .NotEmpty("provider_id", ProviderId)
            .Name("name", Name);
        if (EncryptedSecret is not { Length: > 0 })
        {
            validator.Add("secret", "is required");
        }

        return validator.Problems;
    }

    /// <summary>Never prints the ciphertext either: records print every property by default.</summary>
    public override string ToString() => $"ProviderKey {{ Id = {Id}, ProviderId = {ProviderId}, Name = {Name}, SecretHint = {SecretHint} }}";
}
