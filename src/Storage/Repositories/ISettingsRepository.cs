namespace Odock.Storage.Repositories;

/// <summary>Small facts the system keeps about itself (first-run done, installation id).</summary>
public interface ISettingsRepository
{
    Task<string?> GetAsync(string key, CancellationToken cancellationToken = default);

    Task SetAsync(string key, string value, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Sets the value only if the key is absent; true when this call set it. Lets racing processes agree on one winner.</summary>
    Task<bool> TryAddAsync(string key, string value, DateTimeOffset now, CancellationToken cancellationToken = default);
}
