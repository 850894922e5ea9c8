using Microsoft.AspNetCore.Http;
using Odock.Gateway.Errors;

namespace Odock.Gateway.Families;

/// <summary>What every client-facing endpoint has, chat or not: its name in the ledger and its own error shape.</summary>
internal interface IApiSurface
{
    /// <summary>The ledger's name for the endpoint (<c>openai.chat_completions</c>, <c>openai.embeddings</c>...).</summary>
    string Endpoint { get; }

    Task WriteErrorAsync(HttpContext context, GatewayError error);
}
