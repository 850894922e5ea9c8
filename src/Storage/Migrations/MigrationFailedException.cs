namespace Odock.Storage.Migrations;

/// <summary>A migration could not be applied; its transaction was rolled back and the schema is as it was before it.</summary>
public sealed class MigrationFailedException : Exception
{
    public MigrationFailedException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    public MigrationFailedException()
    {
    }

    public MigrationFailedException(string message)
        : base(message)
    {
    }
}
