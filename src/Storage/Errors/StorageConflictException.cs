namespace Odock.Storage.Errors;

/// <summary>A write the database refused for a reason the caller can act on (HTTP 409 or 404 at the API).</summary>
public abstract class StorageConflictException : Exception
{
    protected StorageConflictException(string entity, string message, Exception? innerException)
        : base(message, innerException)
    {
        Entity = entity;
    }

    protected StorageConflictException()
    {
    }

    protected StorageConflictException(string message)
        : base(message)
    {
    }

    protected StorageConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The kind of record (<c>api_key</c>, <c>model</c>).</summary>
    public string Entity { get; } = string.Empty;
}
