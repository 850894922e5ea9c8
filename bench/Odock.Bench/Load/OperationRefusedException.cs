namespace Odock.Bench.Load;

/// <summary>An operation the load harness ran was refused (a limit it should never meet); counted as an error.</summary>
internal sealed class OperationRefusedException(string message) : Exception(message);
