using Odock.Admin.Bootstrap;
using Odock.Admin.Security;
using Odock.Domain.Common;
using Odock.Domain.Users;
using Odock.Storage.Connections;
using Odock.Storage.Migrations;
using Odock.Storage.Store;
using Odock.Testing;

namespace Odock.Admin.Tests.Bootstrap;

public sealed class FirstRunBootstrapperTests
{
    public static TheoryDataEngines Engines => TestDatabase.Engines;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task First_run_creates_the_super_admin_and_a_token_and_later_runs_do_nothing(StorageEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await new MigrationRunner(database.Connections).ApplyAsync();
        var store = new OdockStore(database.Connections);
        var bootstrapper = new FirstRunBootstrapper(store, TimeProvider.System);

        var first = await bootstrapper.RunAsync(new BootstrapOptions { Email = "Root@Example.org" }, suppliedPassword: null);
        var second = await bootstrapper.RunAsync(new BootstrapOptions(), suppliedPassword: "another-password-123");

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.NotNull(first.GeneratedPassword);
        await using var session = await store.OpenAsync();
        var admin = await session.Users.FindByEmailAsync("root@example.org");
        Assert.NotNull(admin);
        Assert.Equal(UserRole.SuperAdmin, admin.Role);
        Assert.True(PasswordHashing.Verify(admin.PasswordHash, first.GeneratedPassword));
        var token = await session.AdminTokens.FindByHashAsync(SecretToken.Hash(first.AdminToken));
        Assert.NotNull(token);
        Assert.Equal(admin.Id, token.UserId);
        Assert.Equal(1, await session.Users.CountByRoleAsync(UserRole.SuperAdmin));
    }

    [Fact]
    public async Task Supplied_password_is_used_and_not_echoed_and_a_short_one_is_refused()
    {
        await using var database = await TestDatabase.CreateAsync(StorageEngine.Sqlite);
        await new MigrationRunner(database.Connections).ApplyAsync();
        var store = new OdockStore(database.Connections);
        var bootstrapper = new FirstRunBootstrapper(store, TimeProvider.System);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => bootstrapper.RunAsync(new BootstrapOptions(), "short"));
        var result = await bootstrapper.RunAsync(new BootstrapOptions(), "a-long-enough-password");

        Assert.StartsWith(BootstrapOptions.PasswordVariable, error.Message, StringComparison.Ordinal);
        Assert.NotNull(result);
        Assert.Null(result.GeneratedPassword);
        await using var session = await store.OpenAsync();
        Assert.True(PasswordHashing.Verify((await session.Users.FindByEmailAsync("admin@odock.local"))!.PasswordHash, "a-long-enough-password"));
    }
}
