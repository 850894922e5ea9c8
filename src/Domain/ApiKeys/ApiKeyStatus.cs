namespace Odock.Domain.ApiKeys;

public enum ApiKeyStatus
{
    Active,
    /// <summary>Temporarily refused; can be re-enabled.</summary>
    Disabled,
    /// <summary>Refused for good.</summary>
    Revoked,
}
