using Odock.Admin.Configuration.Document;
using Odock.Storage.Secrets;
using Odock.Storage.Store;

namespace Odock.Admin.Configuration;

/// <summary>
/// Applies a declarative configuration file. Everything is checked and applied in one transaction: either the whole
/// file lands or nothing does, and every problem found is reported with the path of the entry at fault. Entities are
/// matched by their natural keys (names, emails), so importing the same file again changes nothing. The import
/// creates and updates; it never deletes what the file does not mention.
/// </summary>
public sealed class ConfigImporter
{
    private readonly IOdockStore _store;
    private readonly ISecretProtector _protector;
    private readonly TimeProvider _time;

    public ConfigImporter(IOdockStore store, ISecretProtector protector, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(protector);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _protector = protector;
        _time = time;
    }

    public async Task<ImportReport> ImportFileAsync(string path, Func<string, string?>? environment = null, CancellationToken cancellationToken = default) =>
        await ImportAsync(ConfigFileReader.Read(path, environment), path, cancellationToken).ConfigureAwait(false);

    public async Task<ImportReport> ImportAsync(ConfigDocument document, string file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        var problems = DuplicateNames.Find(document, file);
        if (problems.Count > 0)
        {
            throw new ConfigurationFileException(file, problems);
        }

        await using var session = await _store.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var run = new ImportRun(session, _protector, _time.GetUtcNow(), file, Path.GetFileName(file), cancellationToken);
        foreach (var organisation in document.Organisations)
        {
            await run.ImportOrganisationAsync(organisation).ConfigureAwait(false);
        }

        if (run.Problems.Count > 0)
        {
            // Disposing the session without committing rolls back whatever this run wrote.
            throw new ConfigurationFileException(file, run.Problems);
        }

        await run.WriteAuditAsync().ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return run.Report;
    }
}
