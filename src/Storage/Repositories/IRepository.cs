namespace Odock.Storage.Repositories;

/// <summary>What every administrative table offers: by id, validated writes, and delete.</summary>
public interface IRepository<TEntity>
{
    Task<TEntity?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Validates then inserts; <see cref="Errors.DuplicateEntityException"/> when a natural key is taken.</summary>
    Task InsertAsync(TEntity entity, CancellationToken cancellationToken = default);

    /// <summary>Validates then replaces every mutable column; <see cref="Errors.EntityNotFoundException"/> when the row is gone.</summary>
    Task UpdateAsync(TEntity entity, CancellationToken cancellationToken = default);

    Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken = default);
}
