using System.Globalization;
using System.Text;
using Dapper;
using Odock.Domain.Common;

namespace Odock.Storage.Repositories;

/// <summary>
/// The statement behind one page of keys. Every condition it adds is an equality on a leading index column or a
/// range on the sort key, so the database reads the page's rows and no others, however many keys exist.
/// </summary>
internal static class ApiKeyPageSql
{
    public static (string Sql, DynamicParameters Arguments) Build(string select, ApiKeyListQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder(select).Append(" WHERE organisation_id = @OrganisationId");
        var arguments = new DynamicParameters();
        arguments.Add("OrganisationId", query.OrganisationId);
        if (query.TeamId is { } team)
        {
            sql.Append(" AND team_id = @TeamId");
            arguments.Add("TeamId", team);
        }

        if (query.UserId is { } user)
        {
            sql.Append(" AND user_id = @UserId");
            arguments.Add("UserId", user);
        }

        if (query.TeamsOfMember is { } member)
        {
            sql.Append(" AND team_id IN (SELECT team_id FROM team_members WHERE user_id = @MemberId)");
            arguments.Add("MemberId", member);
        }

        if (query.Status is { } status)
        {
            sql.Append(" AND status = @Status");
            arguments.Add("Status", WireName.Of(status));
        }

        if (query.NamePrefix is { Length: > 0 } prefix)
        {
            // A range on the indexed name rather than LIKE, which an index cannot serve under every collation.
            sql.Append(" AND name >= @Prefix AND name < @PrefixEnd");
            arguments.Add("Prefix", prefix);
            arguments.Add("PrefixEnd", prefix[..^1] + (char)(prefix[^1] + 1));
        }

        var comparison = query.Descending ? "<" : ">";
        var direction = query.Descending ? " DESC" : "";
        if (query.Sort == ApiKeySort.Name)
        {
            if (query.After is { } after)
            {
                // Names are unique within an organisation, so the name alone is a complete position.
                sql.Append(CultureInfo.InvariantCulture, $" AND name {comparison} @AfterName");
                arguments.Add("AfterName", after.SortValue);
            }

            sql.Append(CultureInfo.InvariantCulture, $" ORDER BY name{direction}");
        }
        else
        {
            if (query.After is { } after)
            {
                sql.Append(CultureInfo.InvariantCulture, $" AND (created_at, id) {comparison} (@AfterCreatedAt, @AfterId)");
                arguments.Add("AfterCreatedAt", DateTimeOffset.Parse(after.SortValue, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
                arguments.Add("AfterId", after.Id);
            }

            sql.Append(CultureInfo.InvariantCulture, $" ORDER BY created_at{direction}, id{direction}");
        }

        sql.Append(" LIMIT @Take");
        arguments.Add("Take", query.Limit);
        return (sql.ToString(), arguments);
    }
}
