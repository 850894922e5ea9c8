namespace Odock.Admin.Api.Auth;

/// <summary>The answer to creating a token: the only time <see cref="Secret"/> is ever shown.</summary>
internal sealed record CreatedTokenResponse(TokenResponse Token, string Secret);
