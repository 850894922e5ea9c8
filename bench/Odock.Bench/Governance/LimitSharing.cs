namespace Odock.Bench.Governance;

/// <summary>How the keys of the <c>admission</c> mode meet on grains; both shapes make the same eleven grain calls per request.</summary>
internal enum LimitSharing
{
    /// <summary>Production's shape: each key has its own budget and shares its team's and its organisation's, and one model.</summary>
    Shared,

    /// <summary>Each key has three budgets and a model of its own: no grain is common to two keys.</summary>
    Own,
}
