using Odock.Storage.Repositories;
using Odock.Storage.Sql;

namespace Odock.Storage.Store;

internal sealed class StoreSession : IStoreSession
{
    private readonly SqlSession _session;

    public StoreSession(SqlSession session)
    {
        _session = session;
        Organisations = new OrganisationRepository(session);
        Teams = new TeamRepository(session);
        Users = new UserRepository(session);
        AdminTokens = new AdminTokenRepository(session);
        Providers = new ProviderRepository(session);
        ProviderKeys = new ProviderKeyRepository(session);
        Models = new ModelRepository(session);
        McpServers = new McpServerRepository(session);
        ApiKeys = new ApiKeyRepository(session);
        Budgets = new BudgetRepository(session);
        Quotas = new QuotaRepository(session);
        Usage = new UsageRepository(session);
        Invoices = new InvoiceRepository(session);
        Audit = new AuditLog(session);
        Settings = new SettingsRepository(session);
    }

    public IOrganisationRepository Organisations { get; }

    public ITeamRepository Teams { get; }

    public IUserRepository Users { get; }

    public IAdminTokenRepository AdminTokens { get; }

    public IProviderRepository Providers { get; }

    public IProviderKeyRepository ProviderKeys { get; }

    public IModelRepository Models { get; }

    public IMcpServerRepository McpServers { get; }

    public IApiKeyRepository ApiKeys { get; }

    public IBudgetRepository Budgets { get; }

    public IQuotaRepository Quotas { get; }

    public IUsageRepository Usage { get; }

    public IInvoiceRepository Invoices { get; }

    public IAuditLog Audit { get; }

    public ISettingsRepository Settings { get; }

    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        if (_session.Transaction is { } transaction)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            await transaction.DisposeAsync().ConfigureAwait(false);
            _session.Transaction = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_session.Transaction is { } transaction)
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            _session.Transaction = null;
        }

        await _session.Connection.DisposeAsync().ConfigureAwait(false);
    }
}
