using Odock.Domain.Common;

namespace Odock.Domain.Organisations;

/// <summary>A tenant. Everything a client can call (providers, models, MCP servers, keys) belongs to one.</summary>
public sealed record Organisation : IValidatable
{
    public required Guid Id { get; init; }

    /// <summary>The unique, URL-safe name (<c>acme</c>).</summary>
    public required string Name { get; init; }

    public string? DisplayName { get; init; }

    /// <summary>Disabled organisations' keys are refused at the gateway.</summary>
    public bool Enabled { get; init; } = true;

    public required DateTimeOffset CreatedAt { get; init; }

    public IReadOnlyList<ValidationProblem> Validate() => new Validator()
        .NotEmpty("id", Id)
        .Name("name", Name)
        .MaxLength("display_name", DisplayName, 200)
        .Problems;
}
