using Odock.Gateway.Chat;
using Odock.Gateway.Resolution;

namespace Odock.Gateway.Providers;

/// <summary>
/// What a provider adapter needs: the parsed request, where it goes, the id the client sees, and the most output
/// tokens the call may produce: the limit its worst case reserved, which the adapter sends when the client named
/// none (<see cref="Providers.OutputLimit"/>), and the bound on the provider's own tool calls it sends where the
/// request names none (<see cref="Pipeline.CallPlan.HostedToolLimit"/>).
/// </summary>
internal sealed record ChatCall(ChatRequest Request, ResolvedModel Target, string RequestId, long OutputLimit, long? HostedToolLimit = null);
