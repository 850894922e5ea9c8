using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Odock.Storage.Errors;

/// <summary>Maps each engine's constraint violations to the same typed exceptions.</summary>
internal static class StorageErrors
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintForeignKey = 787;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    public static StorageConflictException? Translate(DbException exception, string entity) => exception switch
    {
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg => new DuplicateEntityException(entity, pg.ConstraintName ?? pg.MessageText, exception),
        PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation } pg => new EntityInUseException(entity, pg.ConstraintName ?? pg.MessageText, exception),
        SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintUnique or SqliteConstraintPrimaryKey } sqlite =>
            new DuplicateEntityException(entity, sqlite.Message, exception),
        SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintForeignKey } sqlite =>
            new EntityInUseException(entity, sqlite.Message, exception),
        _ => null,
    };
}
