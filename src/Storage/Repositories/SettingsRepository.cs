using Odock.Storage.Sql;

namespace Odock.Storage.Repositories;

internal sealed class SettingsRepository(SqlSession session) : ISettingsRepository
{
    public Task<string?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        session.QuerySingleOrDefaultAsync<string>("SELECT value FROM settings WHERE key = @Key", new { Key = key }, cancellationToken);

    public Task SetAsync(string key, string value, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        session.ExecuteAsync(
            "INSERT INTO settings (key, value, updated_at) VALUES (@Key, @Value, @Now) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            new { Key = key, Value = value, Now = now },
            "setting",
            cancellationToken);

    public async Task<bool> TryAddAsync(string key, string value, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await session.ExecuteAsync(
            "INSERT INTO settings (key, value, updated_at) VALUES (@Key, @Value, @Now) ON CONFLICT (key) DO NOTHING",
            new { Key = key, Value = value, Now = now },
            "setting",
            cancellationToken).ConfigureAwait(false) == 1;
}
