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
        services.AddSingleton<OpenSettlements>();
        services.AddHostedService(sp => sp.GetRequiredService<OpenSettlements>());
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

    /// <summary>Everything under these is the gateway's: a path no endpoint serves is answered by <see cref="UnknownEndpoint"/>.</summary>
    private static readonly string[] Prefixes = ["/v1/{**path}", "/v1beta/{**path}", "/odock/v1/{**path}"];

    /// <summary>Maps the client endpoints this gateway serves: OpenAI's, Anthropic's, Gemini's, vLLM's and Odock's own chat.</summary>
    /// <remarks>
    /// Every service here is a singleton, resolved once when the routes are mapped: a handler that took them as
    /// parameters would resolve them from the request's services, which opens a service scope on every request.
    /// </remarks>
    public static IEndpointRouteBuilder MapOdockGateway(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var access = new BrowserAccess(services.GetRequiredService<GatewayOptions>().CorsAllowedOrigins);
        var gateway = endpoints.MapGroup("");
        MapEndpoints(gateway, services);
        foreach (var pattern in (string[])[.. Prefixes, "/tokenize", "/detokenize"])
        {
            endpoints.MapMethods(pattern, [HttpMethods.Options], context => access.PreflightAsync(context, UnknownEndpoint.WriteAsync));
        }

        if (access.Enabled)
        {
            ((IEndpointConventionBuilder)gateway).Add(endpoint =>
            {
                var handler = endpoint.RequestDelegate!;
                endpoint.RequestDelegate = context =>
                {
                    access.Allow(context);
                    return handler(context);
                };
            });
        }

        return endpoints;
    }

    private static void MapEndpoints(IEndpointRouteBuilder endpoints, IServiceProvider services)
    {
        var chat = services.GetRequiredService<ChatPipeline>();
        MapChat(endpoints, "/v1/chat/completions", chat, services.GetRequiredService<OpenAiChatFamily>());
        MapChat(endpoints, "/v1/completions", chat, services.GetRequiredService<OpenAiCompletionsFamily>());
        MapChat(endpoints, "/v1/messages", chat, services.GetRequiredService<AnthropicMessagesFamily>());
        MapChat(endpoints, "/v1/responses", chat, services.GetRequiredService<OpenAiResponsesFamily>());
        var counter = services.GetRequiredService<AnthropicTokenCounter>();
        var counting = new AnthropicMessagesFamily(countsTokens: true);
        endpoints.MapPost("/v1/messages/count_tokens", context => chat.CountTokensAsync(context, counting, counter.AnswerAsync));
        var fallback = services.GetRequiredService<FallbackChatPipeline>();
        endpoints.MapPost("/odock/v1/chat", fallback.HandleAsync);
        var operations = services.GetRequiredService<OperationPipeline>();
        MapOperation(endpoints, "/v1/embeddings", UpstreamOperation.Embeddings, operations);
        MapOperation(endpoints, "/v1/images/generations", UpstreamOperation.ImageGenerations, operations);
        MapOperation(endpoints, "/v1/rerank", UpstreamOperation.Rerank, operations);
        MapOperation(endpoints, "/tokenize", UpstreamOperation.Tokenize, operations);
        MapOperation(endpoints, "/detokenize", UpstreamOperation.Detokenize, operations);
        var models = services.GetRequiredService<ModelsEndpoint>();
        endpoints.MapGet("/v1/models", context => models.ListAsync(context, null));
        endpoints.MapGet("/v1/models/{model}", context => models.ListAsync(context, (string)context.Request.RouteValues["model"]!));
        endpoints.MapGet("/v1beta/models", context => models.ListAsync(context, null, ApiFamily.Gemini));
        endpoints.MapGet("/v1beta/models/{model}", context => models.ListAsync(context, (string)context.Request.RouteValues["model"]!, ApiFamily.Gemini));
        var gemini = services.GetRequiredService<GeminiModelsEndpoint>();
        endpoints.MapPost("/v1beta/models/{**modelAndMethod}", context => gemini.PostAsync(context, (string)context.Request.RouteValues["modelAndMethod"]!));
        foreach (var prefix in Prefixes)
        {
            endpoints.MapFallback(prefix, UnknownEndpoint.WriteAsync);
        }
    }

    private static void MapChat(IEndpointRouteBuilder endpoints, string path, ChatPipeline pipeline, IChatFamily family) =>
        endpoints.MapPost(path, context => pipeline.HandleAsync(context, family));

    private static void MapOperation(IEndpointRouteBuilder endpoints, string path, UpstreamOperation operation, OperationPipeline pipeline)
    {
        var surface = new OpenAiOperationSurface(operation);
        endpoints.MapPost(path, context => pipeline.HandleAsync(context, surface));
    }
}
