using DepHealth.AspNetCore.Satellites.Tests.Infrastructure;

namespace DepHealth.AspNetCore.Satellites.Tests;

/// <summary>
/// What every SQL satellite's standalone check does against its real server, whatever the driver: each derived class
/// runs these tests with its own URL and registration.
/// </summary>
public abstract class SqlContractTests
{
    /// <summary>The real server's URL, with valid credentials.</summary>
    protected abstract string ServerUrl { get; }

    /// <summary>A password the server rejects, unique to the derived class.</summary>
    protected abstract string WrongPassword { get; }

    /// <summary>The scheme's default port, for a host that does not resolve.</summary>
    protected abstract int DefaultPort { get; }

    private protected TestUrl Url => new(ServerUrl);

    /// <summary>Registers a standalone dependency named <c>db</c> from <paramref name="url"/>.</summary>
    protected abstract void AddUrl(IDependencyHealthBuilder builder, string url, Action<DependencyOptions>? configure = null);

    [Fact]
    public async Task Url_WithValidCredentials_IsOk()
    {
        using var harness = Harness.Create(b => AddUrl(b, ServerUrl));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public async Task Url_WithWrongPassword_IsAuthError()
    {
        using var harness = Harness.Create(b => AddUrl(b, Url.WithPassword(WrongPassword)));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("auth_error", outcome.Detail);
    }

    [Fact]
    public async Task Url_WithWrongPassword_FailsWithoutAnyPasswordInTheException()
    {
        using var harness = Harness.Create(b => AddUrl(b, Url.WithPassword(WrongPassword)));

        var outcome = await harness.CheckSingleAsync();

        Assert.NotNull(outcome.Exception);
        Assert.DoesNotContain(WrongPassword, outcome.Exception.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Url.Password, outcome.Exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClosedPort_IsConnectionRefused()
    {
        using var harness = Harness.Create(b => AddUrl(b, Url.WithHostPort("127.0.0.1", LocalPorts.Unused())));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("connection_refused", outcome.Detail);
    }

    [Fact]
    public async Task UnknownHost_IsDnsError()
    {
        using var harness = Harness.Create(b => AddUrl(b, Url.WithHostPort("nonexistent.invalid", DefaultPort)));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("dns_error", outcome.Detail);
    }

    [Fact]
    public async Task SilentServer_IsTimeoutPromptlyAfterCancellation()
    {
        await using var server = new SilentServer();
        using var harness = Harness.Create(b => AddUrl(b, Url.WithHostPort("127.0.0.1", server.Port)));

        var outcome = await CheckRunner.RunUntilCancelledAsync(harness.CheckerFor(harness.Single), harness.Single, server);

        Assert.Equal("timeout", outcome.Detail);
    }

    [Fact]
    public async Task MultiHostUrl_ChecksEachEndpointOnItsOwnHostAndPort()
    {
        var closedPort = LocalPorts.Unused();
        var multiHost = ServerUrl.Replace(
            $"@{Url.Host}:{Url.Port}/", $"@{Url.Host}:{Url.Port},127.0.0.1:{closedPort}/", StringComparison.Ordinal);
        using var harness = Harness.Create(b => AddUrl(b, multiHost));

        var outcomes = new List<string>();
        foreach (var spec in harness.Specs)
        {
            outcomes.Add($"{spec.Port}:{(await harness.CheckAsync(spec)).Detail}");
        }

        Assert.Equal([$"{Url.Port}:ok", $"{closedPort}:connection_refused"], outcomes);
    }

    [Fact]
    public async Task Query_ThatFails_IsError()
    {
        using var harness = Harness.Create(b => AddUrl(b, ServerUrl, d => d.Query = "SELECT * FROM no_such_table"));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("error", outcome.Detail);
    }
}
