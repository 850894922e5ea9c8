using Odock.Domain.Common;

namespace Odock.Domain.Routing;

/// <summary>
/// Smart routing for a key: which models may serve its requests and in what order, and how many attempts a request
/// gets. The requested model, when it is one of the targets, is tried first under failover.
/// </summary>
public sealed record RoutingPolicy
{
    public RoutingStrategy Strategy { get; init; } = RoutingStrategy.Failover;

    public IReadOnlyList<RoutingTarget> Targets { get; init; } = [];

    /// <summary>Attempts per request across targets, including the first.</summary>
    public int MaxAttempts { get; init; } = 3;

    public bool Equals(RoutingPolicy? other) =>
        other is not null && Strategy == other.Strategy && MaxAttempts == other.MaxAttempts && Targets.SequenceEqual(other.Targets);

    public override int GetHashCode() => HashCode.Combine(Strategy, MaxAttempts, Targets.Count);

    public IReadOnlyList<ValidationProblem> Validate()
    {
        var validator = new Validator();
        if (Targets.Count == 0)
        {
            validator.Add("targets", "needs at least one model");
        }

        for (var i = 0; i < Targets.Count; i++)
        {
            validator.ModelName($"targets[{i}].model", Targets[i].Model);
            if (Targets[i].Weight < 1)
            {
                validator.Add($"targets[{i}].weight", "must be at least 1");
            }
        }

        if (MaxAttempts is < 1 or > 10)
        {
            validator.Add("max_attempts", "must be between 1 and 10");
        }

        return validator.Problems;
    }
}
