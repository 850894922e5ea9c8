namespace Odock.Bench.Governance;

/// <summary>What one measured operation of the <c>admission</c> mode is.</summary>
internal enum AdmissionOperation
{
    /// <summary>A whole request: admit, start, reserve, settle, complete.</summary>
    Full,

    /// <summary>Only the two calls every request makes on the organisation's budget (reserve, then settle): what one hot grain sustains.</summary>
    OrgBudget,
}
