namespace Odock.Admin.Api.ProviderKeys;

/// <summary>The key to encrypt provider keys with, as a JWK and as PEM (SubjectPublicKeyInfo).</summary>
internal sealed record EncryptionKeyResponse(string Algorithm, EncryptionJwk Jwk, string Pem);
