namespace Odock.Admin.Configuration;

/// <summary>A declarative configuration file cannot be applied. Every problem found is listed with its file and line.</summary>
public sealed class ConfigurationFileException : Exception
{
    public ConfigurationFileException(string file, IReadOnlyList<string> problems)
        : base(Format(file, problems))
    {
        File = file;
        Problems = problems;
    }

    public ConfigurationFileException()
    {
        File = string.Empty;
        Problems = [];
    }

    public ConfigurationFileException(string message)
        : base(message)
    {
        File = string.Empty;
        Problems = [message];
    }

    public ConfigurationFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = string.Empty;
        Problems = [message];
    }

    public string File { get; }

    /// <summary>Each as <c>file:line:column: what is wrong</c>, or <c>file: path.to.field: what is wrong</c>.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Format(string file, IReadOnlyList<string> problems) =>
        problems.Count == 1
            ? problems[0]
            : $"{file}: {problems.Count} problems:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems);
}
