namespace Odock.Storage.Errors;

/// <summary>A row with the same natural key (a name, an email, a key hash) already exists.</summary>
public sealed class DuplicateEntityException : StorageConflictException
{
    public DuplicateEntityException(string entity, string detail, Exception innerException)
        : base(entity, $"A {entity} with the same unique value already exists ({detail}).", innerException)
    {
    }

    public DuplicateEntityException()
    {
    }

    public DuplicateEntityException(string message)
        : base(message)
    {
    }

    public DuplicateEntityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
