using Odock.Grains.Catalog;

namespace Odock.Gateway.Resolution;

/// <summary>The Odock model a client named, with the provider that serves it and the provider key to use (decrypted, in memory only).</summary>
internal sealed record ResolvedModel(CatalogModel Model, CatalogProvider Provider, string? ProviderSecret);
