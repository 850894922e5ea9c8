namespace Odock.Admin.Api.ApiKeys;

/// <summary>How long the replaced secret keeps working (0, the default, refuses it at once; at most 7 days).</summary>
internal sealed record RotateApiKeyRequest(long? GraceSeconds);
