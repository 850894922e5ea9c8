using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Odock.Admin.Api.ApiKeys;
using Odock.Admin.Api.Audit;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Errors;
using Odock.Admin.Api.Budgets;
using Odock.Admin.Api.Grains;
using Odock.Admin.Api.Invoices;
using Odock.Admin.Api.Mcp;
using Odock.Admin.Api.Models;
using Odock.Admin.Api.ProviderKeys;
using Odock.Admin.Api.Providers;
using Odock.Admin.Api.Quotas;
using Odock.Admin.Api.Resources;
using Odock.Admin.Api.Organisations;
using Odock.Admin.Api.Teams;
using Odock.Admin.Api.Usage;
using Odock.Admin.Api.Users;
using Odock.Admin.Invoices;
using Odock.Storage.Reporting;

namespace Odock.Admin.Api;

public static class AdminApiServiceCollectionExtensions
{
    public const string BasePath = "/api/admin/v1";

    /// <summary>The OpenAPI document's name, chosen so that it is served at <c>/api/admin/v1/openapi.json</c>.</summary>
    private const string DocumentName = "openapi";

    /// <summary>
    /// The admin REST API. Needs an <see cref="Odock.Storage.Store.IOdockStore"/>, an
    /// <see cref="Odock.Storage.Secrets.ISecretProtector"/> (provider keys) and the grain runtime's
    /// <see cref="Odock.Cluster.IGrainFactory"/> (any shape: local, silo or client); usage reports read through the
    /// registered <see cref="Odock.Storage.Connections.IDbConnectionFactory"/>.
    /// </summary>
    public static IServiceCollection AddOdockAdminApi(this IServiceCollection services, AdminApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Transient<Microsoft.AspNetCore.Hosting.IStartupFilter, UnservedRouteProblems>());
        services.AddSingleton(options);
        services.AddSingleton<AdminErrorFilter>();
        services.AddSingleton<AdminAuthenticator>();
        services.AddSingleton<AdminAuthenticationFilter>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<GrainRefresher>();
        services.AddSingleton<AuditedStore>();
        services.AddSingleton<AuthService>();
        services.AddSingleton<OrganisationService>();
        services.AddSingleton<TeamService>();
        services.AddSingleton<UserService>();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<AuditService>();
        services.AddSingleton<ProviderService>();
        services.AddSingleton<ProviderKeyEncryption>();
        services.AddSingleton<ProviderKeyService>();
        services.AddSingleton<ModelService>();
        services.AddSingleton<BudgetService>();
        services.AddSingleton<QuotaService>();
        services.AddSingleton<McpServerService>();
        services.AddOdockUsageQueries();
        services.AddSingleton<UsageService>();
        services.AddSingleton<InvoiceService>();
        services.AddSingleton<InvoiceApiService>();
        services.AddOpenApi(DocumentName, openApi =>
        {
            openApi.ShouldInclude = description => description.RelativePath?.StartsWith(BasePath.TrimStart('/'), StringComparison.Ordinal) == true;
            openApi.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new() { Title = "Odock admin API", Version = "v1", Description = "Organisations, users, keys, providers, models and their governance; usage and invoices." };
                return Task.CompletedTask;
            });
        });
        return services;
    }

    /// <summary>Maps every admin route under <see cref="BasePath"/>; only sign-in and the OpenAPI document are reachable without a credential.</summary>
    public static IEndpointRouteBuilder MapOdockAdminApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapOpenApi(BasePath + "/{documentName}.json");
        var open = endpoints.MapGroup(BasePath).AddEndpointFilter<AdminErrorFilter>();
        AuthEndpoints.MapLogin(open);
        var api = endpoints.MapGroup(BasePath)
            .AddEndpointFilter<AdminErrorFilter>()
            .AddEndpointFilter<AdminAuthenticationFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        AuthEndpoints.Map(api);
        OrganisationEndpoints.Map(api);
        TeamEndpoints.Map(api);
        UserEndpoints.Map(api);
        ApiKeyEndpoints.Map(api);
        ProviderEndpoints.Map(api);
        ProviderKeyEndpoints.Map(api);
        ModelEndpoints.Map(api);
        BudgetEndpoints.Map(api);
        QuotaEndpoints.Map(api);
        McpServerEndpoints.Map(api);
        AuditEndpoints.Map(api);
        UsageEndpoints.Map(api);
        InvoiceEndpoints.Map(api);
        return endpoints;
    }
}
