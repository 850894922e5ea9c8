namespace Odock.Admin.Api.ProviderKeys;

/// <summary>
/// A provider credential, write-only: give it either as <see cref="EncryptedSecret"/> (base64 RSA-OAEP-256 with the
/// published key, preferred) or as plaintext <see cref="Secret"/>. On update every field is optional.
/// </summary>
internal sealed record ProviderKeyRequest(string? Name, string? Secret, string? EncryptedSecret, bool? Enabled);
