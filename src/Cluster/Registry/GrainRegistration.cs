namespace Odock.Cluster.Registry;

/// <summary>What <c>AddGrain&lt;TInterface, TImplementation&gt;()</c> records for the registry to compile.</summary>
internal sealed record GrainRegistration(Type Interface, Type Implementation);
