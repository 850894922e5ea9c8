using System.Data.Common;
using System.Globalization;
using Odock.Admin.Invoices;
using Odock.Domain.Mcp;
using Odock.Domain.Organisations;
using Odock.Domain.Users;
using Odock.Storage.Connections;
using Odock.Storage.Migrations;
using Odock.Storage.Store;
using Odock.Testing;

namespace Odock.Admin.Tests.Invoices;

/// <summary>
/// A migrated store on one engine with an organisation (two teams, two users, an MCP server), a ledger written row by
/// row with plain SQL (as the ledger writer would leave it), and the invoice service on a clock the test sets.
/// </summary>
internal sealed class InvoiceWorld : IAsyncDisposable
{
    public static readonly DateTimeOffset November = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset December = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TestDatabase _database;

    private InvoiceWorld(TestDatabase database, Organisation acme, Team support, Team research, User dana, User eli, McpServer everything)
    {
        _database = database;
        Store = new OdockStore(database.Connections);
        Service = new InvoiceService(Store, Clock);
        Acme = acme;
        Support = support;
        Research = research;
        Dana = dana;
        Eli = eli;
        Everything = everything;
    }

    public OdockStore Store { get; }

    public SettableClock Clock { get; } = new(new DateTimeOffset(2026, 12, 2, 9, 30, 0, TimeSpan.Zero));

    public InvoiceService Service { get; }

    public Organisation Acme { get; }

    public Team Support { get; }

    public Team Research { get; }

    public User Dana { get; }

    public User Eli { get; }

    public McpServer Everything { get; }

    public static async Task<InvoiceWorld> CreateAsync(StorageEngine engine)
    {
        var database = await TestDatabase.CreateAsync(engine);
        await new MigrationRunner(database.Connections).ApplyAsync();
        var created = November.AddMonths(-1);
        var acme = new Organisation { Id = Guid.NewGuid(), Name = "acme", DisplayName = "Acme <Corporation>", CreatedAt = created };
        var support = new Team { Id = Guid.NewGuid(), OrganisationId = acme.Id, Name = "support", CreatedAt = created };
        var research = new Team { Id = Guid.NewGuid(), OrganisationId = acme.Id, Name = "research", CreatedAt = created };
        var dana = new User { Id = Guid.NewGuid(), OrganisationId = acme.Id, Email = "dana@acme.example", Role = UserRole.User, CreatedAt = created };
        var eli = new User { Id = Guid.NewGuid(), OrganisationId = acme.Id, Email = "eli@acme.example", Role = UserRole.User, CreatedAt = created };
        var everything = new McpServer
        {
            Id = Guid.NewGuid(), OrganisationId = acme.Id, Name = "everything", Transport = McpTransport.StreamableHttp, Url = "https://tools.acme.example/mcp", CreatedAt = created,
        };
        await using (var session = await new OdockStore(database.Connections).OpenAsync())
        {
            await session.Organisations.InsertAsync(acme);
            await session.Teams.InsertAsync(support);
            await session.Teams.InsertAsync(research);
            await session.Users.InsertAsync(dana);
            await session.Users.InsertAsync(eli);
            await session.McpServers.InsertAsync(everything);
        }

        return new InvoiceWorld(database, acme, support, research, dana, eli, everything);
    }

    public async Task<Organisation> AddOrganisationAsync(string name)
    {
        var organisation = new Organisation { Id = Guid.NewGuid(), Name = name, CreatedAt = November };
        await using var session = await Store.OpenAsync();
        await session.Organisations.InsertAsync(organisation);
        return organisation;
    }

    public async Task InsertLedgerAsync(IEnumerable<LedgerRow> rows)
    {
        await using var connection = await _database.Connections.OpenAsync();
        foreach (var row in rows)
        {
            await using var command = connection.CreateCommand();
            command.CommandText =
                "INSERT INTO usage_records (id, request_id, occurred_at, kind, organisation_id, team_id, user_id, endpoint, model_name, mcp_server_id, tool_name, "
                + "http_status, streamed, latency_ms, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, images, audio_seconds, "
                + "cost, currency, cache_write_one_hour_tokens, image_size, image_quality, audio_output_seconds, characters, hosted_tool_calls) VALUES (@id, @request, "
                + "@at, @kind, @organisation, @team, @user, @endpoint, @model, @server, @tool, @status, @streamed, 0, @input, @cached, @write, @output, @reasoning, "
                + "@images, @audio, @cost, @currency, @write_one_hour, @image_size, @image_quality, @audio_output, @characters, @hosted_tool_calls)";
            Add(command, "id", Guid.NewGuid());
            Add(command, "request", Guid.NewGuid().ToString("N"));
            Add(command, "at", row.OccurredAt);
            Add(command, "kind", row.McpServerId is null ? "model" : "mcp");
            Add(command, "organisation", row.OrganisationId);
            Add(command, "team", row.TeamId);
            Add(command, "user", row.UserId);
            Add(command, "endpoint", row.McpServerId is null ? "/v1/chat/completions" : "/mcp");
            Add(command, "model", row.ModelName);
            Add(command, "server", row.McpServerId);
            Add(command, "tool", row.ToolName);
            Add(command, "status", row.HttpStatus);
            Add(command, "streamed", false);
            Add(command, "input", row.InputTokens);
            Add(command, "cached", row.CachedInputTokens);
            Add(command, "write", row.CacheWriteTokens);
            Add(command, "output", row.OutputTokens);
            Add(command, "reasoning", row.ReasoningTokens);
            Add(command, "images", row.Images);
            Add(command, "audio", row.AudioSeconds);
            Add(command, "cost", row.Cost);
            Add(command, "currency", row.Currency);
            Add(command, "write_one_hour", row.CacheWriteOneHourTokens);
            Add(command, "image_size", row.ImageSize);
            Add(command, "image_quality", row.ImageQuality);
            Add(command, "audio_output", row.AudioOutputSeconds);
            Add(command, "characters", row.Characters);
            Add(command, "hosted_tool_calls", row.HostedToolCalls);
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Overwrites an invoice's stored lines JSON, as a version of Odock before a field existed would have left it.</summary>
    public async Task StoreLinesJsonAsync(Guid invoiceId, string linesJson)
    {
        await using var connection = await _database.Connections.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE invoices SET lines = @lines WHERE id = @id";
        Add(command, "lines", linesJson);
        Add(command, "id", invoiceId);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    // SQLite holds instants and money as text in the store's fixed formats; ids and everything on PostgreSQL bind as they are.
    private void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = (_database.Engine, value) switch
        {
            (_, null) => DBNull.Value,
            (StorageEngine.Sqlite, DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            (StorageEngine.Sqlite, decimal amount) => amount.ToString(CultureInfo.InvariantCulture),
            (StorageEngine.Sqlite, bool flag) => flag ? 1 : 0,
            (StorageEngine.Postgres, DateTimeOffset instant) => instant.ToUniversalTime(),
            _ => value,
        };
        command.Parameters.Add(parameter);
    }
}
