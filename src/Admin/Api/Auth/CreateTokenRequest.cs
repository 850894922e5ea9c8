namespace Odock.Admin.Api.Auth;

/// <summary>A personal API token; without <see cref="ExpiresAt"/> it lasts the longest lifetime allowed.</summary>
internal sealed record CreateTokenRequest(string? Name, DateTimeOffset? ExpiresAt);
