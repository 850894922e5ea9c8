using Odock.Domain.Common;
using Odock.Storage.Errors;
using Odock.Storage.Sql;

namespace Odock.Storage.Repositories;

/// <summary>
/// Get, list, insert, update and delete by id for one table, with every write validated first. Subclasses say how an
/// entity becomes a row and back, and add their own look-ups.
/// </summary>
internal abstract class CrudRepository<TEntity, TRow>
    where TEntity : IValidatable
{
    protected CrudRepository(SqlSession session, TableMap<TRow> map, string entityName)
    {
        Session = session;
        Map = map;
        EntityName = entityName;
    }

    protected SqlSession Session { get; }

    protected TableMap<TRow> Map { get; }

    protected string EntityName { get; }

    public virtual Task<TEntity?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        FirstAsync("WHERE id = @Id", new { Id = id }, cancellationToken);

    public virtual async Task InsertAsync(TEntity entity, CancellationToken cancellationToken = default)
    {
        Validate(entity);
        await Session.ExecuteAsync(Map.Insert, ToRow(entity), EntityName, cancellationToken).ConfigureAwait(false);
    }

    public virtual async Task UpdateAsync(TEntity entity, CancellationToken cancellationToken = default)
    {
        Validate(entity);
        var row = ToRow(entity);
        if (await Session.ExecuteAsync(Map.Update, row, EntityName, cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new EntityNotFoundException(EntityName, IdOf(entity));
        }
    }

    /// <summary>Deletes the row; false when there was none. Throws <see cref="EntityInUseException"/> when something still refers to it.</summary>
    public virtual async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken = default) =>
        await Session.ExecuteAsync($"DELETE FROM {Map.Table} WHERE id = @Id", new { Id = id }, EntityName, cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>Records a use in the table's <c>last_used_at</c> without rewriting the row; the time only moves forward.</summary>
    protected Task TouchLastUsedAsync(Guid id, DateTimeOffset usedAt, CancellationToken cancellationToken) =>
        Session.ExecuteAsync(
            $"UPDATE {Map.Table} SET last_used_at = @UsedAt WHERE id = @Id AND (last_used_at IS NULL OR last_used_at < @UsedAt)",
            new { Id = id, UsedAt = usedAt.ToUniversalTime() },
            EntityName,
            cancellationToken);

    protected abstract TRow ToRow(TEntity entity);

    protected abstract TEntity ToEntity(TRow row);

    protected abstract Guid IdOf(TEntity entity);

    protected async Task<TEntity?> FirstAsync(string where, object? arguments, CancellationToken cancellationToken)
    {
        var row = await Session.QuerySingleOrDefaultAsync<TRow>($"{Map.Select} {where}", arguments, cancellationToken).ConfigureAwait(false);
        return row is null ? default : ToEntity(row);
    }

    protected async Task<IReadOnlyList<TEntity>> ManyAsync(string whereAndOrder, object? arguments, CancellationToken cancellationToken)
    {
        var rows = await Session.QueryAsync<TRow>($"{Map.Select} {whereAndOrder}", arguments, cancellationToken).ConfigureAwait(false);
        return rows.Select(ToEntity).ToArray();
    }

    private static void Validate(TEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var problems = entity.Validate();
        if (problems.Count > 0)
        {
            throw new DomainValidationException(problems);
        }
    }
}
