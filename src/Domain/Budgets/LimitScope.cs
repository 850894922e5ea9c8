namespace Odock.Domain.Budgets;

/// <summary>What a budget or quota counts: all traffic of an organisation, a team, a user, or one API key.</summary>
public enum LimitScope
{
    Organisation,
    Team,
    User,
    ApiKey,
}
