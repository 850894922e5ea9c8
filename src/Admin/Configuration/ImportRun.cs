using Odock.Admin.Configuration.Document;
using Odock.Admin.Security;
using Odock.Domain.ApiKeys;
using Odock.Domain.Audit;
using Odock.Domain.Budgets;
using Odock.Domain.Common;
using Odock.Domain.Mcp;
using Odock.Domain.Models;
using Odock.Domain.Organisations;
using Odock.Domain.Periods;
using Odock.Domain.Policies;
using Odock.Domain.Providers;
using Odock.Domain.Quotas;
using Odock.Domain.Routing;
using Odock.Domain.Users;
using Odock.Storage.Repositories;
using Odock.Storage.Secrets;
using Odock.Storage.Store;

namespace Odock.Admin.Configuration;

/// <summary>
/// One import inside one transaction. Each entry becomes the entity it declares, matched to the stored one by natural
/// key; an invalid entry is reported (with its path) instead of written, and the caller rolls back if any was.
/// </summary>
internal sealed class ImportRun
{
    private readonly IStoreSession _session;
    private readonly ISecretProtector _protector;
    private readonly DateTimeOffset _now;
    private readonly string _file;
    private readonly string _actor;
    private readonly CancellationToken _cancellationToken;
    private readonly List<AuditEntry> _audit = [];

    public ImportRun(IStoreSession session, ISecretProtector protector, DateTimeOffset now, string file, string fileName, CancellationToken cancellationToken)
    {
        _session = session;
        _protector = protector;
        _now = now;
        _file = file;
        _actor = $"config-import:{fileName}";
        _cancellationToken = cancellationToken;
    }

    public List<string> Problems { get; } = [];

    public ImportReport Report { get; } = new();

    public async Task ImportOrganisationAsync(OrganisationEntry entry)
    {
        var path = $"organisations[{entry.Name}]";
        var existing = await _session.Organisations.FindByNameAsync(entry.Name, _cancellationToken).ConfigureAwait(false);
        var desired = new Organisation
        {
            Id = existing?.Id ?? Guid.NewGuid(), Name = entry.Name, DisplayName = entry.DisplayName, Enabled = existing?.Enabled ?? true,
            CreatedAt = existing?.CreatedAt ?? _now,
        };
        if (await UpsertAsync("organisation", path, _session.Organisations, existing, desired, null).ConfigureAwait(false) is not { } organisation)
        {
            return;
        }

        var scope = new OrganisationScope(organisation);
        foreach (var team in entry.Teams)
        {
            await ImportTeamAsync(scope, team, $"{path}.teams[{team.Name}]").ConfigureAwait(false);
        }

        foreach (var user in entry.Users)
        {
            await ImportUserAsync(scope, user, $"{path}.users[{user.Email}]").ConfigureAwait(false);
        }

        foreach (var provider in entry.Providers)
        {
            await ImportProviderAsync(scope, provider, $"{path}.providers[{provider.Name}]").ConfigureAwait(false);
        }

        foreach (var model in entry.Models)
        {
            await ImportModelAsync(scope, model, $"{path}.models[{model.Name}]").ConfigureAwait(false);
        }

        // Keys and MCP servers refer to each other (grants one way, ownership the other): create missing keys first,
        // then the servers, then bring every key's grants up to date.
        var newKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in entry.ApiKeys)
        {
            if (await CreateMissingApiKeyAsync(scope, key, $"{path}.api_keys[{key.Name}]").ConfigureAwait(false))
            {
                newKeys.Add(key.Name);
            }
        }

        foreach (var server in entry.McpServers)
        {
            await ImportMcpServerAsync(scope, server, $"{path}.mcp_servers[{server.Name}]").ConfigureAwait(false);
        }

        foreach (var key in entry.ApiKeys)
        {
            await ImportApiKeyAsync(scope, key, $"{path}.api_keys[{key.Name}]", newKeys.Contains(key.Name)).ConfigureAwait(false);
        }

        foreach (var budget in entry.Budgets)
        {
            await ImportBudgetAsync(scope, budget, $"{path}.budgets[{budget.Name}]").ConfigureAwait(false);
        }

        foreach (var quota in entry.Quotas)
        {
            await ImportQuotaAsync(scope, quota, $"{path}.quotas[{quota.Name}]").ConfigureAwait(false);
        }
    }

    public async Task WriteAuditAsync()
    {
        foreach (var entry in _audit)
        {
            await _session.Audit.AppendAsync(entry, _cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ImportTeamAsync(OrganisationScope scope, TeamEntry entry, string path)
    {
        var existing = await _session.Teams.FindByNameAsync(scope.Organisation.Id, entry.Name, _cancellationToken).ConfigureAwait(false);
        var desired = new Team
        {
            Id = existing?.Id ?? Guid.NewGuid(), OrganisationId = scope.Organisation.Id, Name = entry.Name, Description = entry.Description,
            CreatedAt = existing?.CreatedAt ?? _now,
        };
        if (await UpsertAsync("team", path, _session.Teams, existing, desired, scope.Organisation.Id).ConfigureAwait(false) is { } team)
        {
            scope.Teams[team.Name] = team;
        }
    }

    private async Task ImportUserAsync(OrganisationScope scope, UserEntry entry, string path)
    {
        if (!TryParse<UserRole>(entry.Role, $"{path}.role", out var role))
        {
            return;
        }

        if (role == UserRole.SuperAdmin)
        {
            Problem($"{path}.role", "super_admin belongs to no organisation; super admins are created at first run, not in a configuration file");
            return;
        }

        if (entry.Password is { Length: < PasswordHashing.MinimumLength })
        {
            Problem($"{path}.password", $"must be at least {PasswordHashing.MinimumLength} characters");
            return;
        }

        var existing = await _session.Users.FindByEmailAsync(entry.Email, _cancellationToken).ConfigureAwait(false);
        if (existing is not null && existing.OrganisationId != scope.Organisation.Id)
        {
            Problem($"{path}.email", "belongs to a user of another organisation");
            return;
        }

        var passwordHash = existing?.PasswordHash;
        if (entry.Password is { } password && !PasswordHashing.Verify(passwordHash, password))
        {
            passwordHash = PasswordHashing.Hash(password);
        }

        var desired = (existing ?? new User { Id = Guid.NewGuid(), Email = User.NormaliseEmail(entry.Email), Role = role, CreatedAt = _now }) with
        {
            OrganisationId = scope.Organisation.Id, Email = User.NormaliseEmail(entry.Email), DisplayName = entry.DisplayName, Role = role, PasswordHash = passwordHash,
        };
        var teamIds = new List<Guid>();
        foreach (var teamName in entry.Teams)
        {
            if (await FindTeamAsync(scope, teamName, $"{path}.teams").ConfigureAwait(false) is { } team)
            {
                teamIds.Add(team.Id);
            }
        }

        var currentTeams = existing is null ? [] : await _session.Teams.ListTeamsOfUserAsync(existing.Id, _cancellationToken).ConfigureAwait(false);
        var membershipChanged = !currentTeams.ToHashSet().SetEquals(teamIds);
        if (await UpsertAsync("user", path, _session.Users, existing, desired, scope.Organisation.Id, unchanged: existing == desired && !membershipChanged).ConfigureAwait(false) is not { } user)
        {
            return;
        }

        scope.Users[user.Email] = user;
        foreach (var stale in currentTeams.Except(teamIds))
        {
            await _session.Teams.RemoveMemberAsync(stale, user.Id, _cancellationToken).ConfigureAwait(false);
        }

        foreach (var teamId in teamIds.Except(currentTeams))
        {
            await _session.Teams.AddMemberAsync(teamId, user.Id, _cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ImportProviderAsync(OrganisationScope scope, ProviderEntry entry, string path)
    {
        if (!TryParse<ProviderType>(entry.Type, $"{path}.type", out var type))
        {
            return;
        }

        var settings = new Dictionary<string, string>(entry.Settings, StringComparer.Ordinal);
        if (entry.ApiVersion is not null)
        {
            settings["api_version"] = entry.ApiVersion;
        }

        if (entry.Keys.Count == 0 && type != ProviderType.Mock)
        {
            Problem($"{path}.keys", "needs at least one key for a provider that is not mock");
        }

        var existing = await _session.Providers.FindByNameAsync(scope.Organisation.Id, entry.Name, _cancellationToken).ConfigureAwait(false);
        var desired = new Provider
        {
            Id = existing?.Id ?? Guid.NewGuid(), OrganisationId = scope.Organisation.Id, Name = entry.Name, Type = type, BaseUrl = entry.BaseUrl,
            Settings = settings, Enabled = existing?.Enabled ?? true, CreatedAt = existing?.CreatedAt ?? _now,
        };
        var same = existing is not null && existing with { Settings = settings } == desired && Same.Map(existing.Settings, settings);
        if (await UpsertAsync("provider", path, _session.Providers, existing, desired, scope.Organisation.Id, unchanged: same).ConfigureAwait(false) is not { } provider)
        {
            return;
        }

        scope.Providers[provider.Name] = provider;
        foreach (var keyEntry in entry.Keys)
        {
            await ImportProviderKeyAsync(scope, provider, keyEntry, $"{path}.keys[{keyEntry.Name}]").ConfigureAwait(false);
        }
    }

    private async Task ImportProviderKeyAsync(OrganisationScope scope, Provider provider, ProviderKeyEntry entry, string path)
    {
        if (string.IsNullOrEmpty(entry.Secret))
        {
            Problem($"{path}.secret", "is required");
            return;
        }

        var existing = await _session.ProviderKeys.FindByNameAsync(provider.Id, entry.Name, _cancellationToken).ConfigureAwait(false);
        var unchanged = existing is not null && _protector.Unprotect(existing.EncryptedSecret) == entry.Secret;
        var desired = unchanged
            ? existing!
            : new ProviderKey
            {
                Id = existing?.Id ?? Guid.NewGuid(), ProviderId = provider.Id, Name = entry.Name, EncryptedSecret = _protector.Protect(entry.Secret),
                SecretHint = ProviderKey.HintOf(entry.Secret), Enabled = existing?.Enabled ?? true, CreatedAt = existing?.CreatedAt ?? _now,
            };
        if (await UpsertAsync("provider_key", path, _session.ProviderKeys, existing, desired, scope.Organisation.Id, unchanged: unchanged).ConfigureAwait(false) is { } key)
        {
            scope.ProviderKeys[(provider.Id, key.Name)] = key;
        }
    }

    private async Task ImportModelAsync(OrganisationScope scope, ModelEntry entry, string path)
    {
        var valid = TryParse<ModelType>(entry.Type, $"{path}.type", out var type);
        var capabilities = new HashSet<ModelCapability>();
        foreach (var name in entry.Capabilities)
        {
            if (TryParse<ModelCapability>(name, $"{path}.capabilities", out var capability))
            {
                capabilities.Add(capability);
            }
            else
            {
                valid = false;
            }
        }

        var pricing = PricingEntryReader.Read(entry.Pricing, $"{path}.pricing", Problem);
        var provider = await FindProviderAsync(scope, entry.Provider, $"{path}.provider").ConfigureAwait(false);
        if (!valid || pricing is null || provider is null)
        {
            return;
        }

        Guid? providerKeyId = null;
        if (entry.ProviderKey is not null)
        {
            var key = scope.ProviderKeys.GetValueOrDefault((provider.Id, entry.ProviderKey))
                ?? await _session.ProviderKeys.FindByNameAsync(provider.Id, entry.ProviderKey, _cancellationToken).ConfigureAwait(false);
            if (key is null)
            {
                Problem($"{path}.provider_key", $"provider '{provider.Name}' has no key named '{entry.ProviderKey}'");
                return;
            }

            providerKeyId = key.Id;
        }

        var existing = await _session.Models.FindByNameAsync(scope.Organisation.Id, entry.Name, _cancellationToken).ConfigureAwait(false);
        var desired = new Model
        {
            Id = existing?.Id ?? Guid.NewGuid(), OrganisationId = scope.Organisation.Id, Name = entry.Name, UpstreamSlug = entry.Slug ?? entry.Name,
            ProviderId = provider.Id, ProviderKeyId = providerKeyId, Type = type, Capabilities = capabilities, Pricing = pricing,
            Policies = ToPolicy(entry.Policies), Enabled = existing?.Enabled ?? true, CreatedAt = existing?.CreatedAt ?? _now,
        };
        var same = existing is not null && existing with { Capabilities = capabilities } == desired && existing.Capabilities.SetEquals(capabilities);
        if (await UpsertAsync("model", path, _session.Models, existing, desired, scope.Organisation.Id, unchanged: same).ConfigureAwait(false) is { } model)
        {
            scope.Models[model.Name] = model;
        }
    }

    private async Task<bool> CreateMissingApiKeyAsync(OrganisationScope scope, ApiKeyEntry entry, string path)
    {
        var existing = await _session.ApiKeys.FindByNameAsync(scope.Organisation.Id, entry.Name, _cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            scope.ApiKeys[existing.Name] = existing;
            return false;
        }

        var key = await DesiredApiKeyAsync(scope, entry, path, existing: null, withMcpGrants: false).ConfigureAwait(false);
        if (key is null || await UpsertAsync("api_key", path, _session.ApiKeys, null, key, scope.Organisation.Id).ConfigureAwait(false) is null)
        {
            return false;
        }

        scope.ApiKeys[key.Name] = key;
        return true;
    }

    private async Task ImportApiKeyAsync(OrganisationScope scope, ApiKeyEntry entry, string path, bool createdInThisRun)
    {
        if (!scope.ApiKeys.TryGetValue(entry.Name, out var existing))
        {
            return;
        }

        var desired = await DesiredApiKeyAsync(scope, entry, path, existing, withMcpGrants: true).ConfigureAwait(false);
        if (desired is null)
        {
            return;
        }

        var same = existing with { ModelGrants = desired.ModelGrants, McpGrants = desired.McpGrants, Routing = desired.Routing } == desired
            && Same.Set(existing.ModelGrants, desired.ModelGrants) && Same.Set(existing.McpGrants, desired.McpGrants) && Equals(existing.Routing, desired.Routing);
        if (same)
        {
            if (!createdInThisRun)
            {
                Report.Count("api_key", ImportChange.Unchanged);
            }

            return;
        }

        if (createdInThisRun)
        {
            await _session.ApiKeys.UpdateAsync(desired, _cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await UpsertAsync("api_key", path, _session.ApiKeys, existing, desired, scope.Organisation.Id, unchanged: false).ConfigureAwait(false);
        }
    }

    private async Task<ApiKey?> DesiredApiKeyAsync(OrganisationScope scope, ApiKeyEntry entry, string path, ApiKey? existing, bool withMcpGrants)
    {
        if (!TryParse<ApiKeyScope>(entry.Scope, $"{path}.scope", out var keyScope))
        {
            return null;
        }

        if (entry.Secret is { } given && (given.Length < 32 || given.Any(char.IsWhiteSpace)))
        {
            Problem($"{path}.secret", "must be at least 32 characters without spaces (omit it and Odock generates one)");
            return null;
        }

        var team = entry.Team is null ? null : await FindTeamAsync(scope, entry.Team, $"{path}.team").ConfigureAwait(false);
        var user = entry.User is null ? null : await FindUserAsync(scope, entry.User, $"{path}.user").ConfigureAwait(false);
        if ((entry.Team is not null && team is null) || (entry.User is not null && user is null))
        {
            return null;
        }

        var modelGrants = new List<Guid>();
        foreach (var name in entry.Models)
        {
            if (await FindModelAsync(scope, name, $"{path}.models").ConfigureAwait(false) is { } model)
            {
                modelGrants.Add(model.Id);
            }
        }

        var mcpGrants = new List<Guid>();
        foreach (var name in withMcpGrants ? entry.McpServers : [])
        {
            if (await FindMcpServerAsync(scope, name, $"{path}.mcp_servers").ConfigureAwait(false) is { } server)
            {
                mcpGrants.Add(server.Id);
            }
        }

        RoutingPolicy? routing = null;
        if (entry.Routing is { } routingEntry)
        {
            if (!TryParse<RoutingStrategy>(routingEntry.Strategy, $"{path}.routing.strategy", out var strategy))
            {
                return null;
            }

            routing = new RoutingPolicy { Strategy = strategy, Targets = routingEntry.Targets.Select(t => new RoutingTarget(t.Model, t.Weight)).ToArray(), MaxAttempts = routingEntry.MaxAttempts };
            foreach (var target in routing.Targets)
            {
                await FindModelAsync(scope, target.Model, $"{path}.routing.targets").ConfigureAwait(false);
            }
        }

        var (hash, prefix) = (existing?.Hash, existing?.Prefix);
        if (entry.Secret is { } secret && SecretToken.Hash(secret) != hash)
        {
            (hash, prefix) = (SecretToken.Hash(secret), SecretToken.DisplayPrefix(secret, ApiKey.SecretPrefix));
        }
        else if (hash is null)
        {
            var generated = SecretToken.Generate(ApiKey.SecretPrefix);
            Report.AddGeneratedKey(scope.Organisation.Name, entry.Name, generated);
            (hash, prefix) = (SecretToken.Hash(generated), SecretToken.DisplayPrefix(generated, ApiKey.SecretPrefix));
        }

        return new ApiKey
        {
            Id = existing?.Id ?? Guid.NewGuid(), OrganisationId = scope.Organisation.Id, Name = entry.Name, Prefix = prefix!, Hash = hash, Scope = keyScope,
            TeamId = team?.Id, UserId = user?.Id, Status = existing?.Status ?? ApiKeyStatus.Active, ExpiresAt = entry.ExpiresAt?.ToUniversalTime(),
            ModelGrants = modelGrants.Distinct().Order().ToArray(), McpGrants = mcpGrants.Distinct().Order().ToArray(), Limits = ToPolicy(entry.Limits),
            Routing = routing, CreatedAt = existing?.CreatedAt ?? _now, LastUsedAt = existing?.LastUsedAt,
        };
    }

    private async Task ImportMcpServerAsync(OrganisationScope scope, McpServerEntry entry, string path)
    {
        if (!TryParse<McpTransport>(entry.Transport, $"{path}.transport", out var transport))
        {
            return;
        }

        var team = entry.Team is null ? null : await FindTeamAsync(scope, entry.Team, $"{path}.team").ConfigureAwait(false);
        ApiKey? ownerKey = null;
        if (entry.ApiKey is not null && !scope.ApiKeys.TryGetValue(entry.ApiKey, out ownerKey))
        {
            Problem($"{path}.api_key", $"no API key named '{entry.ApiKey}' in organisation '{scope.Organisation.Name}'");
        }

        if ((entry.Team is not null && team is null) || (entry.ApiKey is not null && ownerKey is null))
        {
            return;
        }

        var pricing = entry.Pricing is null
            ? McpPricing.Free
            : new McpPricing { Currency = entry.Pricing.Currency, PerCall = entry.Pricing.PerCall, Tools = new Dictionary<string, decimal>(entry.Pricing.Tools, StringComparer.Ordinal) };
        var existing = await _session.McpServers.FindByNameAsync(scope.Organisation.Id, entry.Name, _cancellationToken).ConfigureAwait(false);
        var desired = new McpServer
        {
            Id = existing?.Id ?? Guid.NewGuid(), OrganisationId = scope.Organisation.Id, Name = entry.Name, Transport = transport, Url = entry.Url,
            Command = entry.Command, Arguments = entry.Args, TeamId = team?.Id, ApiKeyId = ownerKey?.Id, AllowedTools = entry.AllowedTools,
            BlockedTools = entry.BlockedTools, Pricing = pricing, RateLimit = ToPolicy(entry.RateLimit), Metadata = entry.Metadata,
            Enabled = existing?.Enabled ?? true, CreatedAt = existing?.CreatedAt ?? _now,
        };
        var same = existing is not null
            && existing with { Arguments = desired.Arguments, AllowedTools = desired.AllowedTools, BlockedTools = desired.BlockedTools, Pricing = desired.Pricing, Metadata = desired.Metadata } == desired
            && existing.Arguments.SequenceEqual(desired.Arguments) && existing.AllowedTools.SequenceEqual(desired.AllowedTools)
            && existing.BlockedTools.SequenceEqual(desired.BlockedTools) && Same.Map(existing.Metadata, desired.Metadata)
            && existing.Pricing.Currency == pricing.Currency && existing.Pricing.PerCall == pricing.PerCall && Same.Map(existing.Pricing.Tools, pricing.Tools);
        if (await UpsertAsync("mcp_server", path, _session.McpServers, existing, desired, scope.Organisation.Id, unchanged: same).ConfigureAwait(false) is { } server)
        {
            scope.McpServers[server.Name] = server;
        }
    }

    private async Task ImportBudgetAsync(OrganisationScope scope, BudgetEntry entry, string path)
    {
        if (await ResolveLimitAsync(scope, entry.Scope, entry.Target, entry.Period, entry.TimeZone, path).ConfigureAwait(false) is not var (limitScope, targetId, period))
        {
            return;
        }

        var existing = await _session.Budgets.FindByNameAsync(scope.Organisation.Id, entry.Name, _cancellationToken).ConfigureAwait(false);
        var desired = new Budget
        {
            Id = existing?.Id ?? Guid.NewGuid(), OrganisationId = scope.Organisation.Id, Name = entry.Name, Scope = limitScope, TargetId = targetId,
            Amount = entry.Amount, Currency = entry.Currency, Period = period, Enabled = existing?.Enabled ?? true, CreatedAt = existing?.CreatedAt ?? _now,
        };
        await UpsertAsync("budget", path, _session.Budgets, existing, desired, scope.Organisation.Id).ConfigureAwait(false);
    }

    private async Task ImportQuotaAsync(OrganisationScope scope, QuotaEntry entry, string path)
    {
        if (!TryParse<QuotaUnit>(entry.Unit, $"{path}.unit", out var unit)
            || await ResolveLimitAsync(scope, entry.Scope, entry.Target, entry.Period, entry.TimeZone, path).ConfigureAwait(false) is not var (limitScope, targetId, period))
        {
            return;
        }

        var existing = await _session.Quotas.FindByNameAsync(scope.Organisation.Id, entry.Name, _cancellationToken).ConfigureAwait(false);
        var desired = new Quota
        {
            Id = existing?.Id ?? Guid.NewGuid(), OrganisationId = scope.Organisation.Id, Name = entry.Name, Scope = limitScope, TargetId = targetId,
            Unit = unit, Limit = entry.Limit, Period = period, Enabled = existing?.Enabled ?? true, CreatedAt = existing?.CreatedAt ?? _now,
        };
        await UpsertAsync("quota", path, _session.Quotas, existing, desired, scope.Organisation.Id).ConfigureAwait(false);
    }

    private async Task<(LimitScope Scope, Guid TargetId, Period Period)?> ResolveLimitAsync(
        OrganisationScope scope, string scopeText, string? target, string periodText, string timeZone, string path)
    {
        if (!TryParse<LimitScope>(scopeText, $"{path}.scope", out var limitScope) | !TryParse<PeriodKind>(periodText, $"{path}.period", out var kind))
        {
            return null;
        }

        if (!Period.IsKnownTimeZone(timeZone))
        {
            Problem($"{path}.time_zone", $"'{timeZone}' is not an IANA time zone (for example UTC, Europe/Paris, America/New_York)");
            return null;
        }

        if (limitScope != LimitScope.Organisation && string.IsNullOrWhiteSpace(target))
        {
            Problem($"{path}.target", $"is required for scope {WireName.Of(limitScope)}");
            return null;
        }

        Guid? targetId = limitScope switch
        {
            LimitScope.Organisation => scope.Organisation.Id,
            LimitScope.Team => (await FindTeamAsync(scope, target!, $"{path}.target").ConfigureAwait(false))?.Id,
            LimitScope.User => (await FindUserAsync(scope, target!, $"{path}.target").ConfigureAwait(false))?.Id,
            _ => scope.ApiKeys.TryGetValue(target!, out var key) ? key.Id : MissingKey(scope, target!, $"{path}.target"),
        };
        return targetId is { } id ? (limitScope, id, new Period(kind, timeZone)) : null;
    }

    private Guid? MissingKey(OrganisationScope scope, string name, string path)
    {
        Problem(path, $"no API key named '{name}' in organisation '{scope.Organisation.Name}'");
        return null;
    }

    /// <summary>
    /// Validates, then inserts or updates and counts; returns the stored entity, or null when the entry was invalid.
    /// <paramref name="unchanged"/> overrides record equality for entities holding collections, which records compare by reference.
    /// </summary>
    private async Task<T?> UpsertAsync<T>(string kind, string path, IRepository<T> repository, T? existing, T desired, Guid? organisationId, bool? unchanged = null)
        where T : class, IValidatable
    {
        var problems = desired.Validate();
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                Problem($"{path}.{problem.Field}", problem.Message);
            }

            return null;
        }

        ImportChange change;
        if (existing is null)
        {
            await repository.InsertAsync(desired, _cancellationToken).ConfigureAwait(false);
            change = ImportChange.Created;
        }
        else if (!(unchanged ?? existing.Equals(desired)))
        {
            await repository.UpdateAsync(desired, _cancellationToken).ConfigureAwait(false);
            change = ImportChange.Updated;
        }
        else
        {
            change = ImportChange.Unchanged;
        }

        Report.Count(kind, change);
        if (change != ImportChange.Unchanged)
        {
            _audit.Add(new AuditEntry
            {
                Id = Guid.NewGuid(), OccurredAt = _now, Actor = _actor, OrganisationId = organisationId, Action = $"{kind}.{(change == ImportChange.Created ? "created" : "updated")}",
                TargetType = kind, TargetId = path,
            });
        }

        return desired;
    }

    private async Task<Team?> FindTeamAsync(OrganisationScope scope, string name, string path) =>
        scope.Teams.GetValueOrDefault(name)
        ?? await _session.Teams.FindByNameAsync(scope.Organisation.Id, name, _cancellationToken).ConfigureAwait(false)
        ?? Missing<Team>(path, $"no team named '{name}' in organisation '{scope.Organisation.Name}'");

    private async Task<User?> FindUserAsync(OrganisationScope scope, string email, string path)
    {
        var user = scope.Users.GetValueOrDefault(User.NormaliseEmail(email)) ?? await _session.Users.FindByEmailAsync(email, _cancellationToken).ConfigureAwait(false);
        return user is not null && user.OrganisationId == scope.Organisation.Id
            ? user
            : Missing<User>(path, $"no user '{email}' in organisation '{scope.Organisation.Name}'");
    }

    private async Task<Provider?> FindProviderAsync(OrganisationScope scope, string name, string path) =>
        scope.Providers.GetValueOrDefault(name)
        ?? await _session.Providers.FindByNameAsync(scope.Organisation.Id, name, _cancellationToken).ConfigureAwait(false)
        ?? Missing<Provider>(path, $"no provider named '{name}' in organisation '{scope.Organisation.Name}'");

    private async Task<Model?> FindModelAsync(OrganisationScope scope, string name, string path) =>
        scope.Models.GetValueOrDefault(name)
        ?? await _session.Models.FindByNameAsync(scope.Organisation.Id, name, _cancellationToken).ConfigureAwait(false)
        ?? Missing<Model>(path, $"no model named '{name}' in organisation '{scope.Organisation.Name}'");

    private async Task<McpServer?> FindMcpServerAsync(OrganisationScope scope, string name, string path) =>
        scope.McpServers.GetValueOrDefault(name)
        ?? await _session.McpServers.FindByNameAsync(scope.Organisation.Id, name, _cancellationToken).ConfigureAwait(false)
        ?? Missing<McpServer>(path, $"no MCP server named '{name}' in organisation '{scope.Organisation.Name}'");

    private T? Missing<T>(string path, string message)
        where T : class
    {
        Problem(path, message);
        return null;
    }

    private bool TryParse<TEnum>(string? text, string path, out TEnum value)
        where TEnum : struct, Enum
    {
        if (WireName.TryParse(text, out value))
        {
            return true;
        }

        Problem(path, $"'{text}' is not one of: {WireName.Choices<TEnum>()}");
        return false;
    }

    private void Problem(string path, string message) => Problems.Add($"{_file}: {path}: {message}");

    private static ResourcePolicy ToPolicy(PolicyEntry? entry) => entry is null
        ? ResourcePolicy.None
        : new ResourcePolicy
        {
            IpAllow = entry.IpAllow, IpBlock = entry.IpBlock, MaxPayloadBytes = entry.MaxPayloadBytes, MaxTokensPerRequest = entry.MaxTokensPerRequest,
            RequestsPerSecond = entry.RequestsPerSecond, RequestsPerMinute = entry.RequestsPerMinute, RequestsPerHour = entry.RequestsPerHour,
            RequestsPerDay = entry.RequestsPerDay, TokensPerMinute = entry.TokensPerMinute, TokensPerDay = entry.TokensPerDay, MaxConcurrency = entry.MaxConcurrency,
        };

    private sealed class OrganisationScope(Organisation organisation)
    {
        public Organisation Organisation { get; } = organisation;

        public Dictionary<string, Team> Teams { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, User> Users { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Provider> Providers { get; } = new(StringComparer.Ordinal);

        public Dictionary<(Guid, string), ProviderKey> ProviderKeys { get; } = [];

        public Dictionary<string, Model> Models { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, McpServer> McpServers { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, ApiKey> ApiKeys { get; } = new(StringComparer.Ordinal);
    }
}
