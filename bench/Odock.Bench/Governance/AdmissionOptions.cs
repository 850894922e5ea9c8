using Odock.Bench.Load;

namespace Odock.Bench.Governance;

/// <summary>The <c>admission</c> mode's settings: the load options, how keys share budgets and models, and what is measured.</summary>
internal sealed record AdmissionOptions(LoadOptions Load, LimitSharing Sharing, AdmissionOperation Operation)
{
    public const string Usage = LoadOptions.AdmissionUsage + " [--limits <shared|own, default shared>] [--operation <full|gateway|org-budget, default full>]";

    public static AdmissionOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var sharing = LimitSharing.Shared;
        var operation = AdmissionOperation.Full;
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--limits":
                    sharing = ParseEnum<LimitSharing>(args, ++i, "shared or own");
                    break;
                case "--operation":
                    operation = ParseEnum<AdmissionOperation>(args, ++i, "full, gateway or org-budget");
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        if (operation == AdmissionOperation.OrgBudget && sharing != LimitSharing.Shared)
        {
            throw new ArgumentException("--operation org-budget needs --limits shared: with own limits there is no organisation budget.");
        }

        return new AdmissionOptions(LoadOptions.ParseAdmission(rest), sharing, operation);
    }

    private static TEnum ParseEnum<TEnum>(IReadOnlyList<string> args, int index, string expected)
        where TEnum : struct, Enum
    {
        var value = index < args.Count ? args[index] : throw new ArgumentException($"{args[index - 1]} needs a value.");
        return Enum.TryParse<TEnum>(value.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new ArgumentException($"{args[index - 1]}: '{value}' must be {expected}.");
    }
}
