using Odock.Domain.ApiKeys;
using Odock.Domain.Mcp;
using Odock.Domain.Providers;
using Odock.Domain.Users;

namespace Odock.Domain.Tests;

public sealed class EntityValidationTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-22T10:00:00Z");

    [Fact]
    public void Five_failed_sign_ins_lock_the_account_for_fifteen_minutes()
    {
        var user = new User { Id = Guid.NewGuid(), OrganisationId = Guid.NewGuid(), Email = "a@b.example", Role = UserRole.User, CreatedAt = Now };
        for (var i = 0; i < User.MaxFailedSignIns; i++)
        {
            Assert.False(user.IsLockedOut(Now));
            user = user.WithFailedSignIn(Now);
        }

        Assert.True(user.IsLockedOut(Now.AddMinutes(14)));
        Assert.False(user.IsLockedOut(Now.AddMinutes(15)));
    }

    [Fact]
    public void Only_super_admins_have_no_organisation()
    {
        var admin = new User { Id = Guid.NewGuid(), Email = "root@odock.example", Role = UserRole.SuperAdmin, CreatedAt = Now };

        Assert.Empty(admin.Validate());
        Assert.Equal("organisation", Assert.Single((admin with { Role = UserRole.Manager }).Validate()).Field);
    }

    [Fact]
    public void Stdio_server_needs_a_command_and_remote_server_a_url()
    {
        var server = new McpServer { Id = Guid.NewGuid(), OrganisationId = Guid.NewGuid(), Name = "fs", Transport = McpTransport.Stdio, CreatedAt = Now };

        Assert.Equal("command", Assert.Single(server.Validate()).Field);
        Assert.Equal("url", Assert.Single((server with { Transport = McpTransport.StreamableHttp }).Validate()).Field);
        Assert.Empty((server with { Transport = McpTransport.Sse, Url = "https://mcp.example/sse" }).Validate());
    }

    [Fact]
    public void Blocked_tools_are_refused_even_with_an_empty_allow_list()
    {
        var server = new McpServer
        {
            Id = Guid.NewGuid(), OrganisationId = Guid.NewGuid(), Name = "everything", Transport = McpTransport.Stdio, Command = "npx",
            BlockedTools = ["rm"], CreatedAt = Now,
        };

        Assert.True(server.AllowsTool("echo"));
        Assert.False(server.AllowsTool("rm"));
        Assert.False((server with { AllowedTools = ["add"] }).AllowsTool("echo"));
    }

    [Fact]
    public void Api_key_is_unusable_when_expired_disabled_or_revoked()
    {
        var key = new ApiKey
        {
            Id = Guid.NewGuid(), OrganisationId = Guid.NewGuid(), Name = "bot", Prefix = "odk-abcdefgh", Hash = new string('a', 64),
            Scope = ApiKeyScope.Organisation, ExpiresAt = Now.AddDays(1), CreatedAt = Now,
        };

        Assert.True(key.IsUsable(Now));
        Assert.False(key.IsUsable(Now.AddDays(1)));
        Assert.False((key with { Status = ApiKeyStatus.Revoked }).IsUsable(Now));
        Assert.Equal("team", Assert.Single((key with { Scope = ApiKeyScope.Team }).Validate()).Field);
    }

    [Fact]
    public void Providers_without_a_public_endpoint_need_a_base_url()
    {
        var provider = new Provider { Id = Guid.NewGuid(), OrganisationId = Guid.NewGuid(), Name = "local", Type = ProviderType.Vllm, CreatedAt = Now };

        Assert.Equal("base_url", Assert.Single(provider.Validate()).Field);
        Assert.Empty((provider with { Type = ProviderType.OpenAi }).Validate());
    }

    [Fact]
    public void Provider_key_never_prints_its_ciphertext()
    {
        var key = new ProviderKey { Id = Guid.NewGuid(), ProviderId = Guid.NewGuid(), Name = "prod", EncryptedSecret = [1, 2, 3], SecretHint = ProviderKey.HintOf("sk-live-1234567890"), CreatedAt = Now };

        Assert.DoesNotContain("EncryptedSecret", key.ToString(), StringComparison.Ordinal);
        Assert.Equal("…7890", key.SecretHint);
    }
}
