using DepHealth.AspNetCore.Satellites.Tests.Infrastructure;

namespace DepHealth.AspNetCore.Satellites.Tests;

/// <summary>
/// How every satellite's standalone check fails when the network does: a closed port, a name that does not resolve, a
/// server that accepts and never answers. Each derived class runs these tests with its own URL and registration.
/// </summary>
public abstract class ConnectionFailureContractTests
{
    /// <summary>The real server's URL, with valid credentials.</summary>
    protected abstract string ServerUrl { get; }

    /// <summary>The scheme's default port, for a host that does not resolve.</summary>
    protected abstract int DefaultPort { get; }

    private protected TestUrl Url => new(ServerUrl);

    /// <summary>Registers a standalone dependency from <paramref name="url"/>.</summary>
    protected abstract void AddUrl(IDependencyHealthBuilder builder, string url, Action<DependencyOptions>? configure = null);

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
}
