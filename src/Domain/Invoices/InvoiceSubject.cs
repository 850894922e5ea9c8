using Odock.Domain.Common;

namespace Odock.Domain.Invoices;

/// <summary>Whose usage is billed: an organisation, or one of its teams or users (<see cref="TargetId"/>).</summary>
public sealed record InvoiceSubject(Guid OrganisationId, InvoiceScope Scope, Guid? TargetId = null)
{
    public static InvoiceSubject Organisation(Guid organisationId) => new(organisationId, InvoiceScope.Organisation);

    public static InvoiceSubject Team(Guid organisationId, Guid teamId) => new(organisationId, InvoiceScope.Team, teamId);

    public static InvoiceSubject User(Guid organisationId, Guid userId) => new(organisationId, InvoiceScope.User, userId);

    public Guid? TeamId => Scope == InvoiceScope.Team ? TargetId : null;

    public Guid? UserId => Scope == InvoiceScope.User ? TargetId : null;

    public IReadOnlyList<ValidationProblem> Validate()
    {
        var validator = new Validator().NotEmpty("organisation_id", OrganisationId);
        if ((Scope == InvoiceScope.Organisation) != (TargetId is null))
        {
            validator.Add("target_id", Scope == InvoiceScope.Organisation
                ? "must be empty for an organisation invoice"
                : $"is required for a {WireName.Of(Scope)} invoice");
        }

        return validator.Problems;
    }
}
