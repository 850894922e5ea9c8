using Odock.Domain.Models;

namespace Odock.Gateway.Tests;

/// <summary>
/// What a <see cref="SeededChatGateway"/> seeds: the name clients send for the chat model on each provider type, and
/// what those models cost. A provider type given no model name is not seeded, and its fake upstream is not started.
/// </summary>
internal sealed class ChatCatalog
{
    public required ModelPricing Pricing { get; init; }

    /// <summary>The mock model's price, where it differs from <see cref="Pricing"/>.</summary>
    public ModelPricing? MockPricing { get; init; }

    /// <summary>The model on the built-in mock provider <c>offline</c>, upstream slug <c>mock-fast-1</c>.</summary>
    public string? Mock { get; init; }

    /// <summary>The model on the OpenAI-compatible provider <c>upstream</c>, upstream slug <c>gpt-upstream-1</c>.</summary>
    public string? OpenAiCompatible { get; init; }

    /// <summary>The model on the Anthropic provider <c>claude</c>, upstream slug <c>claude-sonnet-x</c>.</summary>
    public string? Anthropic { get; init; }

    /// <summary>The model on the Gemini provider <c>google</c>, upstream slug <c>gemini-2.5-x</c>.</summary>
    public string? Gemini { get; init; }

    /// <summary>A model on the mock provider that the key is not granted, at the seed's default price.</summary>
    public string? NotGranted { get; init; }
}
