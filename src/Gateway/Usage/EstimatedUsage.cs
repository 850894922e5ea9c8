using System.Globalization;
using Odock.Domain.Models;

namespace Odock.Gateway.Usage;

/// <summary>
/// What a ledger row keeps as the provider's usage when the provider reported none (Gemini counts no embedding
/// tokens) and Odock charged its own estimate: <c>{"estimated":true,"input_tokens":n}</c>, so a reader can tell the
/// provider's counts from Odock's.
/// </summary>
internal static class EstimatedUsage
{
    public static string Json(TokenUsage usage) =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"estimated":true,"input_tokens":{{usage.InputTokens}}}""");
}
