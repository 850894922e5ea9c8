using Odock.Storage.Repositories;

namespace Odock.Storage.Store;

/// <summary>One connection's view of every repository.</summary>
public interface IStoreSession : IAsyncDisposable
{
    IOrganisationRepository Organisations { get; }

    ITeamRepository Teams { get; }

    IUserRepository Users { get; }

    IAdminTokenRepository AdminTokens { get; }

    IProviderRepository Providers { get; }

    IProviderKeyRepository ProviderKeys { get; }

    IModelRepository Models { get; }

    IMcpServerRepository McpServers { get; }

    IApiKeyRepository ApiKeys { get; }

    IBudgetRepository Budgets { get; }

    IQuotaRepository Quotas { get; }

    IUsageRepository Usage { get; }

    IInvoiceRepository Invoices { get; }

    IAuditLog Audit { get; }

    ISettingsRepository Settings { get; }

    /// <summary>Commits the transaction (no-op for a session opened without one).</summary>
    Task CommitAsync(CancellationToken cancellationToken = default);
}
