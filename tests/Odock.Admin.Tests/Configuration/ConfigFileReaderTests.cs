using Odock.Admin.Configuration;

namespace Odock.Admin.Tests.Configuration;

public sealed class ConfigFileReaderTests
{
    private static readonly Dictionary<string, string> Env = new()
    {
        ["KEY_WITH_PUNCTUATION"] = "odk-a: b # not a comment 'x\"",
        ["AMOUNT"] = "12.50",
    };

    private static string? Lookup(string name) => Env.TryGetValue(name, out var value) ? value : null;

    [Fact]
    public void Reads_snake_case_keys_into_the_document()
    {
        const string yaml = """
            version: 1
            organisations:
              - name: acme
                display_name: Acme Corp
                teams:
                  - name: platform
                budgets:
                  - name: monthly
                    scope: team
                    target: platform
                    amount: 250.75
                    period: monthly
                    time_zone: Europe/Paris
            """;

        var document = ConfigFileReader.Parse(yaml, "odock.yaml", Lookup);

        var org = Assert.Single(document.Organisations);
        Assert.Equal("Acme Corp", org.DisplayName);
        Assert.Equal("platform", Assert.Single(org.Teams).Name);
        var budget = Assert.Single(org.Budgets);
        Assert.Equal(250.75m, budget.Amount);
        Assert.Equal("Europe/Paris", budget.TimeZone);
    }

    [Fact]
    public void Environment_references_are_substituted_after_tokenising_so_punctuation_in_secrets_is_kept_verbatim()
    {
        const string yaml = """
            organisations:
              - name: acme
                api_keys:
                  - name: bot
                    secret: ${KEY_WITH_PUNCTUATION}
                budgets:
                  - name: b
                    amount: ${AMOUNT}
            """;

        var org = Assert.Single(ConfigFileReader.Parse(yaml, "odock.yaml", Lookup).Organisations);

        Assert.Equal(Env["KEY_WITH_PUNCTUATION"], Assert.Single(org.ApiKeys).Secret);
        Assert.Equal(12.50m, Assert.Single(org.Budgets).Amount);
    }

    [Fact]
    public void Every_missing_environment_variable_is_reported_with_its_line()
    {
        const string yaml = """
            organisations:
              - name: acme
                api_keys:
                  - name: one
                    secret: ${MISSING_ONE}
                  - name: two
                    secret: prefix-${MISSING_TWO}
            """;

        var error = Assert.Throws<ConfigurationFileException>(() => ConfigFileReader.Parse(yaml, "odock.yaml", Lookup));

        Assert.Equal(2, error.Problems.Count);
        Assert.StartsWith("odock.yaml:5:", error.Problems[0], StringComparison.Ordinal);
        Assert.Contains("'MISSING_ONE' is not set", error.Problems[0], StringComparison.Ordinal);
        Assert.StartsWith("odock.yaml:7:", error.Problems[1], StringComparison.Ordinal);
        Assert.Contains("'MISSING_TWO' is not set", error.Problems[1], StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_is_refused_with_its_line_and_name()
    {
        const string yaml = """
            organisations:
              - name: acme
                teams:
                  - name: platform
                    colour: blue
            """;

        var error = Assert.Throws<ConfigurationFileException>(() => ConfigFileReader.Parse(yaml, "odock.yaml", Lookup));

        var problem = Assert.Single(error.Problems);
        Assert.StartsWith("odock.yaml:5:", problem, StringComparison.Ordinal);
        Assert.Contains("unknown key 'colour'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_refused_with_its_line()
    {
        const string yaml = """
            organisations:
              - name: acme
                budgets:
                  - name: b
                    amount: lots
            """;

        var error = Assert.Throws<ConfigurationFileException>(() => ConfigFileReader.Parse(yaml, "odock.yaml", Lookup));

        Assert.StartsWith("odock.yaml:5:", Assert.Single(error.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrongly_typed_value_from_the_environment_is_reported_without_echoing_it()
    {
        Env["NOT_A_NUMBER"] = "sk-secret-value";
        const string yaml = """
            organisations:
              - name: acme
                budgets:
                  - name: b
                    amount: ${NOT_A_NUMBER}
            """;

        var error = Assert.Throws<ConfigurationFileException>(() => ConfigFileReader.Parse(yaml, "odock.yaml", Lookup));

        Assert.DoesNotContain("sk-secret-value", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("odock.yaml:5:", Assert.Single(error.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_yaml_is_refused_with_its_line()
    {
        const string yaml = "organisations:\n  - name: acme\n    teams: [unclosed\n";

        var error = Assert.Throws<ConfigurationFileException>(() => ConfigFileReader.Parse(yaml, "odock.yaml", Lookup));

        Assert.Matches(@"^odock\.yaml:\d+:\d+: ", Assert.Single(error.Problems));
    }

    [Fact]
    public void An_unsupported_version_is_refused()
    {
        var error = Assert.Throws<ConfigurationFileException>(() => ConfigFileReader.Parse("version: 2\n", "odock.yaml", Lookup));

        Assert.Contains("version: 2 is not supported", error.Message, StringComparison.Ordinal);
    }
}
