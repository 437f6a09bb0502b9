using DepHealth.AspNetCore.Satellites.Tests.Infrastructure;

namespace DepHealth.AspNetCore.Satellites.Tests;

/// <summary>
/// What every SQL satellite's standalone check does against its real server, whatever the driver: each derived class
/// runs these tests with its own URL and registration.
/// </summary>
public abstract class SqlContractTests : UrlCredentialContractTests
{
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
