using System.Text;
using Dapper;

namespace Odock.Storage.Reporting;

/// <summary>A filter as a SQL condition with its parameters, the same text on both engines.</summary>
internal sealed class UsageWhere
{
    private UsageWhere(string sql, DynamicParameters parameters)
    {
        Sql = sql;
        Parameters = parameters;
    }

    public string Sql { get; }

    public DynamicParameters Parameters { get; }

    public static UsageWhere For(UsageFilter filter, UsageCursor? before = null)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var sql = new StringBuilder("occurred_at >= @From AND occurred_at < @To");
        var parameters = new DynamicParameters();
        parameters.Add("From", filter.From.ToUniversalTime());
        parameters.Add("To", filter.To.ToUniversalTime());
        Equal(sql, parameters, "organisation_id", "OrganisationId", filter.OrganisationId);
        Equal(sql, parameters, "team_id", "TeamId", filter.TeamId);
        Equal(sql, parameters, "user_id", "UserId", filter.UserId);
        Equal(sql, parameters, "api_key_id", "ApiKeyId", filter.ApiKeyId);
        Equal(sql, parameters, "model_id", "ModelId", filter.ModelId);
        Equal(sql, parameters, "provider_id", "ProviderId", filter.ProviderId);
        if (filter.HttpStatus is { } status)
        {
            sql.Append(" AND http_status = @HttpStatus");
            parameters.Add("HttpStatus", status);
        }

        if (filter.Succeeded is { } succeeded)
        {
            sql.Append(succeeded ? " AND http_status < 400" : " AND http_status >= 400");
        }

        if (before is not null)
        {
            sql.Append(" AND (occurred_at < @BeforeAt OR (occurred_at = @BeforeAt AND id < @BeforeId))");
            parameters.Add("BeforeAt", before.OccurredAt.ToUniversalTime());
            parameters.Add("BeforeId", before.Id);
        }

        return new UsageWhere(sql.ToString(), parameters);
    }

    private static void Equal(StringBuilder sql, DynamicParameters parameters, string column, string name, Guid? value)
    {
        if (value is { } id)
        {
            sql.Append(" AND ").Append(column).Append(" = @").Append(name);
            parameters.Add(name, id);
        }
    }
}
