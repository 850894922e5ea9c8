using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Odock.Silo.Tests.Infrastructure;

namespace Odock.Silo.Tests;

/// <summary>The executable serves the admin API with the admin role, and a key made through it is admitted by its own gateway.</summary>
public sealed partial class AdminApiRoleTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "odock-adminapi-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task All_in_one_serves_the_admin_api_with_the_first_run_token_and_its_gateway_admits_a_key_created_there()
    {
        await using var odock = OdockProcess.Start(_directory, ["--listen", "http://127.0.0.1:0"], new Dictionary<string, string?> { ["ODOCK_ADMIN_PASSWORD"] = "first-run-password-123" });
        var address = await odock.WaitForListeningAsync();
        var token = AdminToken().Match(odock.Stdout).Groups[1].Value;
        using var http = new HttpClient { BaseAddress = address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var organisation = await PostAsync(http, "/api/admin/v1/organisations", """{"name":"acme"}""");
        var key = await PostAsync(http, "/api/admin/v1/api-keys", $$"""{"organisation_id":"{{organisation["id"]}}","name":"first","scope":"organisation"}""");
        using var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key["secret"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/models")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/admin/v1/openapi.json")).StatusCode);
    }

    [Fact]
    public async Task Without_the_admin_role_there_is_no_admin_api()
    {
        await using var odock = OdockProcess.Start(_directory, ["--listen", "http://127.0.0.1:0", "--roles", "silo,gateway"], new Dictionary<string, string?> { ["ODOCK_ADMIN_PASSWORD"] = null });
        var address = await odock.WaitForListeningAsync();
        using var http = new HttpClient { BaseAddress = address };

        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/api/admin/v1/auth/login", new StringContent("{}", Encoding.UTF8, "application/json"))).StatusCode);
    }

    private static async Task<JsonObject> PostAsync(HttpClient http, string path, string body)
    {
        var response = await http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    [GeneratedRegex(@"Admin API token:  (odka-[0-9A-Za-z]{43})")]
    private static partial Regex AdminToken();
}
