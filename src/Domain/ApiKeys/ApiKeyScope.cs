namespace Odock.Domain.ApiKeys;

/// <summary>Whom a virtual API key's usage is attributed to.</summary>
public enum ApiKeyScope
{
    Organisation,
    Team,
    User,
}
