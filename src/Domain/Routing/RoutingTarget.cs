namespace Odock.Domain.Routing;

/// <summary>One Odock model a routing policy may send a request to.</summary>
public sealed record RoutingTarget(string Model, int Weight = 1);
