using DepHealth.AspNetCore.Satellites.Tests.Infrastructure;

namespace DepHealth.AspNetCore.Satellites.Tests;

/// <summary>The <c>ldap</c> checker against a real LDAP server.</summary>
[Trait("Category", "integration")]
public sealed class LdapTests : ConnectionFailureContractTests
{
    private const string WrongPassword = "wrong-ldap-password-1e7d";

    protected override string ServerUrl => TestEnvironment.LdapUrl;

    protected override int DefaultPort => 389;

    protected override void AddUrl(IDependencyHealthBuilder builder, string url, Action<DependencyOptions>? configure = null) =>
        builder.AddLdap("dir", url, critical: true, configure);

    [Fact]
    public async Task RootDse_IsOk()
    {
        using var harness = Harness.Create(b => b.AddLdap("dir", TestEnvironment.LdapUrl, critical: true, d => d.Options["CheckMethod"] = "root_dse"));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public async Task DefaultMethod_IsRootDseAndOk()
    {
        using var harness = Harness.Create(b => b.AddLdap("dir", TestEnvironment.LdapUrl, critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public async Task AnonymousBind_IsOk()
    {
        using var harness = Harness.Create(b => b.AddLdap("dir", TestEnvironment.LdapUrl, critical: true, d => d.Options["CheckMethod"] = "anonymous_bind"));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public async Task SimpleBind_WithValidCredentials_IsOk()
    {
        using var harness = Harness.Create(b => b.AddLdap("dir", TestEnvironment.LdapUrl, critical: true, SimpleBind(TestEnvironment.LdapBindPassword)));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public async Task SimpleBind_WithWrongPassword_IsAuthError()
    {
        using var harness = Harness.Create(b => b.AddLdap("dir", TestEnvironment.LdapUrl, critical: true, SimpleBind(WrongPassword)));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("auth_error", outcome.Detail);
    }

    [Fact]
    public async Task SimpleBind_WithWrongPassword_FailsWithoutAnyPasswordInTheException()
    {
        using var harness = Harness.Create(b => b.AddLdap("dir", TestEnvironment.LdapUrl, critical: true, SimpleBind(WrongPassword)));

        var outcome = await harness.CheckSingleAsync();

        Assert.NotNull(outcome.Exception);
        Assert.DoesNotContain(WrongPassword, outcome.Exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_UnderTheBaseDN_IsOk()
    {
        using var harness = Harness.Create(b => b.AddLdap("dir", TestEnvironment.LdapUrl, critical: true, d =>
        {
            d.Options["CheckMethod"] = "search";
            d.Options["BaseDN"] = TestEnvironment.LdapBaseDN;
        }));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public async Task Search_MatchingMoreThanOneEntryInSubtree_IsOk()
    {
        using var harness = Harness.Create(b => b.AddLdap("dir", TestEnvironment.LdapUrl, critical: true, d =>
        {
            d.Options["CheckMethod"] = "search";
            d.Options["BaseDN"] = TestEnvironment.LdapBaseDN;
            d.Options["SearchScope"] = "sub";
        }));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public async Task Search_BoundAsBindDN_IsOk()
    {
        using var harness = Harness.Create(b => b.AddLdap("dir", TestEnvironment.LdapUrl, critical: true, d =>
        {
            d.Options["CheckMethod"] = "search";
            d.Options["BaseDN"] = TestEnvironment.LdapBaseDN;
            d.Options["BindDN"] = TestEnvironment.LdapBindDN;
            d.Options["BindPassword"] = TestEnvironment.LdapBindPassword;
        }));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public async Task Search_WithABaseDNThatDoesNotExist_IsError()
    {
        using var harness = Harness.Create(b => b.AddLdap("dir", TestEnvironment.LdapUrl, critical: true, d =>
        {
            d.Options["CheckMethod"] = "search";
            d.Options["BaseDN"] = "ou=no-such-unit," + TestEnvironment.LdapBaseDN;
        }));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("error", outcome.Detail);
    }

    [Fact]
    public async Task StartTls_OnAServerWithoutTls_IsTlsError()
    {
        using var harness = Harness.Create(b => b.AddLdap("dir", TestEnvironment.LdapUrl, critical: true, d => d.Options["StartTls"] = "true"));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("tls_error", outcome.Detail);
    }

    private static Action<DependencyOptions> SimpleBind(string password) => d =>
    {
        d.Options["CheckMethod"] = "simple_bind";
        d.Options["BindDN"] = TestEnvironment.LdapBindDN;
        d.Options["BindPassword"] = password;
    };
}
