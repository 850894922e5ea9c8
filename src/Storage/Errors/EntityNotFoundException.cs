namespace Odock.Storage.Errors;

/// <summary>An update or delete named a row that does not exist (any more).</summary>
public sealed class EntityNotFoundException : StorageConflictException
{
    public EntityNotFoundException(string entity, Guid id)
        : base(entity, $"No {entity} with id {id}.", null)
    {
    }

    public EntityNotFoundException()
    {
    }

    public EntityNotFoundException(string message)
        : base(message)
    {
    }

    public EntityNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
