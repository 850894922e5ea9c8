using Odock.Gateway.Chat;
using Odock.Gateway.Resolution;

namespace Odock.Gateway.Providers;

/// <summary>What a provider adapter needs: the parsed request, where it goes, and the id the client sees.</summary>
internal sealed record ChatCall(ChatRequest Request, ResolvedModel Target, string RequestId);
