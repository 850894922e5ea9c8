namespace Odock.Storage.Repositories;

/// <summary>The orders keys can be listed in; each is served by an index.</summary>
public enum ApiKeySort
{
    Name,
    CreatedAt,
}
