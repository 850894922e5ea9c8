namespace Odock.Admin.Api.ProviderKeys;

/// <summary>The public key as a JSON Web Key (RFC 7517), ready for WebCrypto's <c>importKey("jwk", …)</c>.</summary>
internal sealed record EncryptionJwk(string Kty, string Use, string Alg, string Kid, string N, string E);
