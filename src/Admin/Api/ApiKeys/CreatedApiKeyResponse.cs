namespace Odock.Admin.Api.ApiKeys;

/// <summary>The answer to creating or rotating a key: the only time <see cref="Secret"/> is ever shown.</summary>
internal sealed record CreatedApiKeyResponse(ApiKeyResponse Key, string Secret, DateTimeOffset? PreviousSecretValidUntil);
