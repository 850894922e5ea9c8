using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Odock.Admin.Configuration;

/// <summary>
/// Replaces <c>${NAME}</c> references inside YAML scalar values with environment variables, after the YAML is
/// tokenised, so a secret containing YAML punctuation (<c>: # ' "</c>) cannot change the document's structure.
/// A reference to an unset variable is recorded with its line, and the scalar becomes empty.
/// </summary>
internal sealed partial class EnvironmentSubstitutingParser : IParser
{
    private readonly IParser _inner;
    private readonly Func<string, string?> _environment;
    private readonly string _file;
    private ParsingEvent? _current;

    public EnvironmentSubstitutingParser(IParser inner, Func<string, string?> environment, string file)
    {
        _inner = inner;
        _environment = environment;
        _file = file;
    }

    public List<string> Problems { get; } = [];

    /// <summary>Lines whose value came from an environment variable: never echoed into messages.</summary>
    public HashSet<long> SecretLines { get; } = [];

    public ParsingEvent? Current => _current;

    public bool MoveNext()
    {
        if (!_inner.MoveNext())
        {
            _current = null;
            return false;
        }

        _current = _inner.Current is Scalar scalar && scalar.Value.Contains("${", StringComparison.Ordinal)
            ? Substitute(scalar)
            : _inner.Current;
        return true;
    }

    private Scalar Substitute(Scalar scalar)
    {
        var value = Reference().Replace(scalar.Value, match =>
        {
            var name = match.Groups[1].Value;
            var resolved = _environment(name);
            if (resolved is null)
            {
                Problems.Add($"{_file}:{scalar.Start.Line}:{scalar.Start.Column}: environment variable '{name}' is not set");
                return string.Empty;
            }

            return resolved;
        });
        SecretLines.Add(scalar.Start.Line);
        return new Scalar(scalar.Anchor, scalar.Tag, value, scalar.Style, scalar.IsPlainImplicit, scalar.IsQuotedImplicit, scalar.Start, scalar.End);
    }

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Reference();
}
