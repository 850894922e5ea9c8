using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Odock.Gateway.Endpoints;
using Odock.Gateway.Families;
using Odock.Gateway.Operations;
using Odock.Gateway.Pipeline;
using Odock.Gateway.Providers;
using Odock.Gateway.Providers.Anthropic;
using Odock.Gateway.Providers.Gemini;
using Odock.Gateway.Providers.Mock;
using Odock.Gateway.Providers.OpenAi;
using Odock.Gateway.Resolution;
using Odock.Gateway.Usage;
using Odock.Storage.Ledger;

namespace Odock.Gateway;

public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// The client-facing data plane. Needs the grain runtime (any shape) with the governance grains, an
    /// <see cref="Odock.Storage.Store.IOdockStore"/>, an <see cref="Odock.Storage.Connections.IDbConnectionFactory"/> (for the
    /// usage ledger writer, configured by a registered <see cref="LedgerOptions"/> or its defaults) and an
    /// <see cref="Odock.Storage.Secrets.ISecretProtector"/>.
    /// </summary>
    public static IServiceCollection AddOdockGateway(this IServiceCollection services, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        // An invoker, not an HttpClient: adapters send absolute URIs with their own headers and their own timeout, and
        // read the answer as it streams (what ResponseHeadersRead gives). The client's extras (a timeout, a base address,
        // cancelling every pending request) are unused here, and cost a linked token source and a state machine per call.
        services.AddSingleton(_ => new HttpMessageInvoker(new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            AllowAutoRedirect = false,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
        }));
        services.AddSingleton<OpenAiChatProvider>();
        services.AddSingleton<OpenAiResponsesProvider>();
        services.AddSingleton<MockChatProvider>();
        services.AddSingleton<AnthropicMessagesProvider>();
        services.AddSingleton<GeminiProvider>();
        services.AddSingleton<OpenAiOperationProvider>();
        services.AddSingleton<MockOperationProvider>();
        services.AddSingleton<GeminiEmbeddingsProvider>();
        services.AddSingleton<OperationProviderRegistry>();
        services.AddSingleton<OperationPipeline>();
        services.AddSingleton<OpenAiChatFamily>();
        services.AddSingleton(new AnthropicMessagesFamily(countsTokens: false));
        services.AddSingleton<AnthropicTokenCounter>();
        services.AddSingleton<OpenAiResponsesFamily>();
        services.AddSingleton<OpenAiCompletionsFamily>();
        services.AddSingleton<ProviderRegistry>();
        services.AddSingleton<CatalogCache>();
        services.AddSingleton<ProviderSecrets>();
        services.AddSingleton<UsageRecorder>();
        services.AddOdockUsageLedger();
        services.AddSingleton<ModelResolver>();
        services.AddSingleton<RequestGate>();
        services.AddSingleton<CallGovernor>();
        services.AddSingleton<ChatPipeline>();
        services.AddSingleton<FallbackChatPipeline>();
        services.AddSingleton<ModelsEndpoint>();
        services.AddSingleton<GeminiModelsEndpoint>();
        return services;
    }

    /// <summary>Maps the client endpoints this gateway serves: OpenAI's, Anthropic's, Gemini's, vLLM's and Odock's own chat.</summary>
    public static IEndpointRouteBuilder MapOdockGateway(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/v1/chat/completions", (HttpContext context, ChatPipeline pipeline, OpenAiChatFamily family) => pipeline.HandleAsync(context, family));
        endpoints.MapPost("/v1/completions", (HttpContext context, ChatPipeline pipeline, OpenAiCompletionsFamily family) => pipeline.HandleAsync(context, family));
        endpoints.MapPost("/v1/messages", (HttpContext context, ChatPipeline pipeline, AnthropicMessagesFamily family) => pipeline.HandleAsync(context, family));
        endpoints.MapPost("/v1/messages/count_tokens", (HttpContext context, ChatPipeline pipeline, AnthropicTokenCounter counter) => pipeline.CountTokensAsync(context, new AnthropicMessagesFamily(countsTokens: true), counter.AnswerAsync));
        endpoints.MapPost("/v1/responses", (HttpContext context, ChatPipeline pipeline, OpenAiResponsesFamily family) => pipeline.HandleAsync(context, family));
        endpoints.MapPost("/odock/v1/chat", (HttpContext context, FallbackChatPipeline pipeline) => pipeline.HandleAsync(context));
        MapOperation(endpoints, "/v1/embeddings", UpstreamOperation.Embeddings);
        MapOperation(endpoints, "/v1/images/generations", UpstreamOperation.ImageGenerations);
        MapOperation(endpoints, "/v1/rerank", UpstreamOperation.Rerank);
        MapOperation(endpoints, "/tokenize", UpstreamOperation.Tokenize);
        MapOperation(endpoints, "/detokenize", UpstreamOperation.Detokenize);
        endpoints.MapGet("/v1/models", (HttpContext context, ModelsEndpoint models) => models.ListAsync(context, null));
        endpoints.MapGet("/v1/models/{model}", (HttpContext context, string model, ModelsEndpoint models) => models.ListAsync(context, model));
        endpoints.MapPost("/v1beta/models/{**modelAndMethod}", (HttpContext context, string modelAndMethod, GeminiModelsEndpoint gemini) => gemini.PostAsync(context, modelAndMethod));
        return endpoints;
    }

    private static void MapOperation(IEndpointRouteBuilder endpoints, string path, UpstreamOperation operation)
    {
        var surface = new OpenAiOperationSurface(operation);
        endpoints.MapPost(path, (HttpContext context, OperationPipeline pipeline) => pipeline.HandleAsync(context, surface));
    }
}
