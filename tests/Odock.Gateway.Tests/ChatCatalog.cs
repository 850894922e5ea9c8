using Odock.Domain.Models;

namespace Odock.Gateway.Tests;

/// <summary>
/// What a <see cref="SeededChatGateway"/> seeds: the name clients send for the chat model on each provider type, and
/// what those models cost. A provider type given no model name is not seeded, and its fake upstream is not started.
/// </summary>
/// <param name="Pricing">The price of every model but the not-granted one.</param>
/// <param name="Mock">The model on the built-in mock provider <c>offline</c>, upstream slug <c>mock-fast-1</c>.</param>
/// <param name="OpenAiCompatible">The model on the OpenAI-compatible provider <c>upstream</c>, upstream slug <c>gpt-upstream-1</c>.</param>
/// <param name="Anthropic">The model on the Anthropic provider <c>claude</c>, upstream slug <c>claude-sonnet-x</c>.</param>
/// <param name="Gemini">The model on the Gemini provider <c>google</c>, upstream slug <c>gemini-2.5-x</c>.</param>
/// <param name="NotGranted">A model on the mock provider that the key is not granted, at the seed's default price.</param>
/// <param name="MockPricing">The mock model's price, where it differs from <paramref name="Pricing"/>.</param>
internal sealed record ChatCatalog(
    ModelPricing Pricing,
    string? Mock = null,
    string? OpenAiCompatible = null,
    string? Anthropic = null,
    string? Gemini = null,
    string? NotGranted = null,
    ModelPricing? MockPricing = null);
