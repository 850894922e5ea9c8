using Odock.Admin.Configuration.Document;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Odock.Admin.Configuration;

/// <summary>
/// Reads a declarative configuration file into a <see cref="ConfigDocument"/>: snake_case keys, unknown keys
/// refused, <c>${ENV_VAR}</c> references resolved. Every problem is reported as <c>file:line:column: reason</c>.
/// </summary>
public static class ConfigFileReader
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .WithEnforceRequiredMembers()
        .Build();

    public static ConfigDocument Read(string path, Func<string, string?>? environment = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationFileException(path, [$"{path}: cannot read the file ({ex.Message})"]);
        }

        return Parse(text, path, environment ?? Environment.GetEnvironmentVariable);
    }

    public static ConfigDocument Parse(string text, string file, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(environment);
        using var reader = new StringReader(text);
        var parser = new EnvironmentSubstitutingParser(new Parser(reader), environment, file);
        ConfigDocument? document;
        try
        {
            document = Deserializer.Deserialize<ConfigDocument?>(parser);
        }
        catch (YamlException ex)
        {
            throw new ConfigurationFileException(file, [.. parser.Problems, Describe(file, ex, parser.SecretLines)]);
        }

        if (parser.Problems.Count > 0)
        {
            throw new ConfigurationFileException(file, parser.Problems);
        }

        document ??= new ConfigDocument();
        if (document.Version != 1)
        {
            throw new ConfigurationFileException(file, [$"{file}: version: {document.Version} is not supported; use version: 1"]);
        }

        return document;
    }

    private static string Describe(string file, YamlException ex, HashSet<long> secretLines)
    {
        var reason = Innermost(ex).Message;
        if (secretLines.Contains(ex.Start.Line))
        {
            // The value came from an environment variable and may be a secret: never echo it.
            reason = "the value from the environment variable has the wrong type for this key";
        }
        else if (reason.StartsWith("Property '", StringComparison.Ordinal) && reason.Contains("not found on type", StringComparison.Ordinal))
        {
            var key = reason.Split('\'')[1];
            reason = $"unknown key '{key}'";
        }

        return $"{file}:{ex.Start.Line}:{ex.Start.Column}: {reason}";
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }
}
