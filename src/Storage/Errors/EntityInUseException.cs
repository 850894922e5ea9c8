namespace Odock.Storage.Errors;

/// <summary>The row is referenced by others (a provider still used by models), or references a row that does not exist.</summary>
public sealed class EntityInUseException : StorageConflictException
{
    public EntityInUseException(string entity, string detail, Exception innerException)
        : base(entity, $"The {entity} is referenced by, or references, another record ({detail}).", innerException)
    {
    }

    public EntityInUseException()
    {
    }

    public EntityInUseException(string message)
        : base(message)
    {
    }

    public EntityInUseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
