namespace Odock.Gateway.Chat;

/// <summary>An Odock chat request: the internal chat request, and the models to try in order (the first is <see cref="ChatRequest.Model"/>).</summary>
internal sealed record OdockChatRequest(ChatRequest Chat, IReadOnlyList<string> Models);
