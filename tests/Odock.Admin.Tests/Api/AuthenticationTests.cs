using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Odock.Admin.Api.Auth;
using Odock.Domain.Users;

namespace Odock.Admin.Tests.Api;

public sealed class AuthenticationTests
{
    [Fact]
    public async Task Login_sets_an_http_only_strict_session_cookie_that_authenticates_later_calls()
    {
        await using var host = await AdminHost.StartAsync();
        var browser = host.Anonymous();

        var response = await browser.PostAsync("auth/login", AdminHost.Body(new { email = "ROOT@odock.test", password = AdminWorld.SuperPassword }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(AdminApiOptions.CookieName + "=odks-", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("root@odock.test", (await AdminHost.JsonAsync(response))["user"]!["email"]!.GetValue<string>());
        var me = await browser.GetAsync("auth/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("super_admin", (await AdminHost.JsonAsync(me))["user"]!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task Logout_ends_the_session_for_good()
    {
        await using var host = await AdminHost.StartAsync();
        var browser = host.Anonymous();
        await browser.PostAsync("auth/login", AdminHost.Body(new { email = "root@odock.test", password = AdminWorld.SuperPassword }));

        Assert.Equal(HttpStatusCode.NoContent, (await browser.PostAsync("auth/logout", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("auth/me")).StatusCode);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_with_423_and_retry_after_even_for_the_right_password()
    {
        await using var host = await AdminHost.StartAsync();
        var browser = host.Anonymous();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < User.MaxFailedSignIns; i++)
        {
            statuses.Add((await browser.PostAsync("auth/login", AdminHost.Body(new { email = "root@odock.test", password = "not-the-password" }))).StatusCode);
        }

        var locked = await browser.PostAsync("auth/login", AdminHost.Body(new { email = "root@odock.test", password = AdminWorld.SuperPassword }));

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, User.MaxFailedSignIns - 1), (HttpStatusCode)423], statuses);
        Assert.Equal((HttpStatusCode)423, locked.StatusCode);
        Assert.Equal("application/problem+json", locked.Content.Headers.ContentType!.MediaType);
        Assert.Equal(TimeSpan.FromMinutes(15), locked.Headers.RetryAfter!.Delta);

        host.Clock.Advance(User.LockoutDuration + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync("auth/login", AdminHost.Body(new { email = "root@odock.test", password = AdminWorld.SuperPassword }))).StatusCode);
    }

    [Fact]
    public async Task Failed_sign_ins_across_accounts_from_one_address_block_that_address_for_a_minute()
    {
        await using var host = await AdminHost.StartAsync();
        var browser = host.Anonymous();
        var statuses = new List<HttpStatusCode>();

        // Password spraying: one guess on each of many accounts, which no account's own lockout notices.
        for (var i = 0; i < 21; i++)
        {
            statuses.Add((await browser.PostAsync("auth/login", AdminHost.Body(new { email = $"someone{i}@odock.test", password = "Spring2026!" }))).StatusCode);
        }

        var blocked = await browser.PostAsync("auth/login", AdminHost.Body(new { email = "root@odock.test", password = AdminWorld.SuperPassword }));

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal("application/problem+json", blocked.Content.Headers.ContentType!.MediaType);
        Assert.Equal(TimeSpan.FromMinutes(1), blocked.Headers.RetryAfter!.Delta);

        host.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync("auth/login", AdminHost.Body(new { email = "root@odock.test", password = AdminWorld.SuperPassword }))).StatusCode);
    }

    [Fact]
    public async Task Login_without_an_email_is_a_problem_naming_the_field()
    {
        await using var host = await AdminHost.StartAsync();

        var response = await host.Anonymous().PostAsync("auth/login", AdminHost.Body(new { password = "whatever-it-is" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await AdminHost.JsonAsync(response);
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        Assert.NotNull(problem["type"]);
        Assert.NotNull(problem["title"]);
        Assert.Equal("is required", problem["errors"]!["email"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_request_without_a_credential_is_refused_with_401_problem_details()
    {
        await using var host = await AdminHost.StartAsync();

        var response = await host.Anonymous().GetAsync("organisations");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_personal_token_is_shown_once_works_as_bearer_and_stops_when_revoked()
    {
        await using var host = await AdminHost.StartAsync();
        var admin = host.As(host.World.AcmeAdmin);

        var created = await AdminHost.JsonAsync(await admin.PostAsync("auth/tokens", AdminHost.Body(new { name = "ci" })));
        var secret = created["secret"]!.GetValue<string>();
        var id = created["token"]!["id"]!.GetValue<string>();
        var automation = host.Anonymous();
        automation.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);

        Assert.Equal(HttpStatusCode.OK, (await automation.GetAsync("auth/me")).StatusCode);
        var listed = await (await admin.GetAsync("auth/tokens")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);
        Assert.Contains(secret[..13], listed, StringComparison.Ordinal);
        var usedAt = host.Clock.GetUtcNow();
        var listedToken = JsonNode.Parse(listed)!.AsArray().Single(t => t!["id"]!.GetValue<string>() == id)!;
        Assert.Equal(usedAt, listedToken["last_used_at"]!.GetValue<DateTimeOffset>());

        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"auth/tokens/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await automation.GetAsync("auth/me")).StatusCode);
    }

    [Fact]
    public async Task A_personal_token_stops_working_at_its_expiry()
    {
        await using var host = await AdminHost.StartAsync();
        var admin = host.As(host.World.AcmeAdmin);
        var expiresAt = host.Clock.GetUtcNow().AddHours(2);
        var created = await AdminHost.JsonAsync(await admin.PostAsync("auth/tokens", AdminHost.Body(new { name = "short", expires_at = expiresAt })));
        var automation = host.Anonymous();
        automation.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created["secret"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await automation.GetAsync("auth/me")).StatusCode);

        host.Clock.Advance(TimeSpan.FromHours(2));

        var refused = await automation.GetAsync("auth/me");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("expired", (await AdminHost.JsonAsync(refused))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_expiry_in_the_past_is_refused_naming_the_field()
    {
        await using var host = await AdminHost.StartAsync();

        var response = await host.As(host.World.Dana).PostAsync("auth/tokens", AdminHost.Body(new { name = "old", expires_at = host.Clock.GetUtcNow().AddDays(-1) }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await AdminHost.JsonAsync(response))["errors"]!["expires_at"]);
    }
}
