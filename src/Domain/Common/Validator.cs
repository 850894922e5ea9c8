using System.Text.RegularExpressions;

namespace Odock.Domain.Common;

/// <summary>Collects problems while an entity is checked, so a user sees all of them at once.</summary>
public sealed partial class Validator
{
    private readonly List<ValidationProblem> _problems = [];

    public IReadOnlyList<ValidationProblem> Problems => _problems;

    public bool IsValid => _problems.Count == 0;

    public Validator Add(string field, string message)
    {
        _problems.Add(new ValidationProblem(field, message));
        return this;
    }

    public Validator AddRange(string prefix, IEnumerable<ValidationProblem> problems)
    {
        foreach (var problem in problems)
        {
            _problems.Add(problem with { Field = $"{prefix}.{problem.Field}" });
        }

        return this;
    }

    /// <summary>A name users type and URLs carry: 1 to 64 characters of letters, digits, '-', '_' and '.', starting with a letter or digit.</summary>
    public Validator Name(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, "is required");
        }

        if (!NamePattern().IsMatch(value))
        {
            Add(field, $"'{value}' must be 1-64 characters of letters, digits, '-', '_' or '.', starting with a letter or digit");
        }

        return this;
    }

    /// <summary>An Odock model name: like <see cref="Name"/>, and also '/' and ':' (<c>openai/gpt-4.1-mini</c>, <c>llama3:8b</c>), up to 128 characters.</summary>
    public Validator ModelName(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, "is required");
        }

        if (!ModelNamePattern().IsMatch(value))
        {
            Add(field, $"'{value}' must be 1-128 characters of letters, digits, '-', '_', '.', '/' or ':', starting with a letter or digit");
        }

        return this;
    }

    public Validator Required(string field, string? value, int maxLength = 256)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, "is required");
        }

        return MaxLength(field, value, maxLength);
    }

    public Validator MaxLength(string field, string? value, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
        {
            Add(field, $"must be at most {maxLength} characters");
        }

        return this;
    }

    public Validator NotEmpty(string field, Guid value)
    {
        if (value == Guid.Empty)
        {
            Add(field, "is required");
        }

        return this;
    }

    public Validator NotNegative(string field, decimal value)
    {
        if (value < 0)
        {
            Add(field, "must not be negative");
        }

        return this;
    }

    public Validator Positive(string field, long? value)
    {
        if (value is <= 0)
        {
            Add(field, "must be greater than zero");
        }

        return this;
    }

    public Validator Email(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, "is required");
        }

        if (value.Length > 254 || !EmailPattern().IsMatch(value))
        {
            Add(field, $"'{value}' is not an email address");
        }

        return this;
    }

    public Validator AbsoluteHttpUrl(string field, string? value)
    {
        if (value is null)
        {
            return this;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            Add(field, $"'{value}' must be an absolute http or https URL");
        }

        return this;
    }

    public void ThrowIfInvalid()
    {
        if (!IsValid)
        {
            throw new DomainValidationException(_problems.ToArray());
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex ModelNamePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();
}
