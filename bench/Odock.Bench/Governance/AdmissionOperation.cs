namespace Odock.Bench.Governance;

/// <summary>What one measured operation of the <c>admission</c> mode is.</summary>
internal enum AdmissionOperation
{
    /// <summary>A whole request: admit, start, reserve, settle, complete.</summary>
    Full,

    /// <summary>
    /// A request as the gateway makes it: admitted on the grant it remembers for the key, the key's stages 1 and 2 with
    /// every reservation in one round, then the settlements with the completions in one more round.
    /// </summary>
    Gateway,

    /// <summary>Only the two calls every request makes on the organisation's budget (reserve, then settle): what one hot grain sustains.</summary>
    OrgBudget,
}
