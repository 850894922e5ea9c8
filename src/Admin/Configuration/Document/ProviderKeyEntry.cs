namespace Odock.Admin.Configuration.Document;

public sealed class ProviderKeyEntry
{
    public string Name { get; set; } = string.Empty;

    /// <summary>The upstream credential, normally a <c>${ENV_VAR}</c> reference; stored encrypted.</summary>
    public string Secret { get; set; } = string.Empty;
}
