namespace Odock.Admin.Configuration.Document;

public sealed class ModelEntry
{
    /// <summary>The Odock model name clients send.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The upstream model id sent to the provider; defaults to the name.</summary>
    public string? Slug { get; set; }

    public string Provider { get; set; } = string.Empty;

    /// <summary>The provider key's name; optional when the provider has exactly one key.</summary>
    public string? ProviderKey { get; set; }

    /// <summary>chat, reasoning, image, embeddings, audio, moderation, transcription or tts.</summary>
    public string Type { get; set; } = "chat";

    /// <summary>vision, reasoning, tool_use.</summary>
    public List<string> Capabilities { get; set; } = [];

    public ModelPricingEntry? Pricing { get; set; }

    public PolicyEntry? Policies { get; set; }
}
