using System.Collections.Frozen;
using System.Net;

namespace DepHealth.AspNetCore.Tests.Registry;

/// <summary>
/// Every redirect hop of a runtime HTTP endpoint passes the host policy before it is requested; configured endpoints
/// follow redirects anywhere. The endpoint's server listens on [::1] and the would-be target on 127.0.0.1, so a rule
/// denying 127.0.0.0/8 tells them apart.
/// </summary>
[Trait("Category", "unit")]
public sealed class HostPolicyRedirectTests : IAsyncLifetime
{
    private LocalHttpServer _endpoint = null!;
    private LocalHttpServer _target = null!;

    public async Task InitializeAsync()
    {
        _endpoint = await LocalHttpServer.StartAsync(IPAddress.IPv6Loopback);
        _target = await LocalHttpServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _endpoint.DisposeAsync();
        await _target.DisposeAsync();
    }

    /// <summary>Hosts that all reach the target server on 127.0.0.1.</summary>
    public static TheoryData<string> LoopbackTargets => new()
    {
        "127.0.0.1", "127.1", "0x7f.1", "2130706433", "0177.0.0.1", "127.0.0.1.", "[::ffff:127.0.0.1]", "0.0.0.0",
        "localhost", "LOCALHOST.",
    };

    [Theory]
    [MemberData(nameof(LoopbackTargets))]
    public async Task Runtime_endpoint_never_requests_a_denied_redirect_target(string host)
    {
        await using var harness = new SchedulerHarness(o => o.Registry.DeniedHosts.Add("127.0.0.0/8"));
        await harness.StartAsync();

        await harness.Registry.AddAsync(Spec($"http://{host}:{_target.HttpPort}/health"));
        await harness.WaitForChecksAsync("dyn", "::1", _endpoint.HttpPort, 1);

        Assert.Equal("error", harness.State("dyn", "::1", _endpoint.HttpPort).Detail);
        Assert.Empty(_target.Requests);
        Assert.Contains(harness.Logs.WithEventId(1001), r => r.Message.Contains("DependencyHealth:Registry:DeniedHosts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Runtime_endpoint_never_requests_a_redirect_target_outside_allowed_hosts()
    {
        await using var harness = new SchedulerHarness(o => o.Registry.AllowedHosts.Add("::1"));
        await harness.StartAsync();

        await harness.Registry.AddAsync(Spec($"http://127.0.0.1:{_target.HttpPort}/health"));
        await harness.WaitForChecksAsync("dyn", "::1", _endpoint.HttpPort, 1);

        Assert.Equal("error", harness.State("dyn", "::1", _endpoint.HttpPort).Detail);
        Assert.Empty(_target.Requests);
        Assert.Contains(harness.Logs.WithEventId(1001), r => r.Message.Contains("does not match DependencyHealth:Registry:AllowedHosts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Runtime_endpoint_follows_a_redirect_to_an_allowed_host()
    {
        await using var harness = new SchedulerHarness(o => o.Registry.DeniedHosts.Add("10.0.0.0/8"));
        await harness.StartAsync();

        await harness.Registry.AddAsync(Spec($"http://127.0.0.1:{_target.HttpPort}/health"));
        await harness.WaitForChecksAsync("dyn", "::1", _endpoint.HttpPort, 1);

        Assert.Equal("ok", harness.State("dyn", "::1", _endpoint.HttpPort).Detail);
        Assert.Single(_target.Requests);
    }

    [Fact]
    public async Task Configured_endpoint_follows_redirects_to_any_host()
    {
        var redirect = Uri.EscapeDataString($"http://localhost:{_target.HttpPort}/health");
        await using var harness = new SchedulerHarness(
            o => o.Registry.DeniedHosts.Add("127.0.0.0/8"),
            b => b.AddHttp("configured", $"http://[::1]:{_endpoint.HttpPort}/redirect/302?to={redirect}", critical: false));
        await harness.StartAsync();

        await harness.WaitForChecksAsync("configured", "::1", _endpoint.HttpPort, 1);

        Assert.Equal("ok", harness.State("configured", "::1", _endpoint.HttpPort).Detail);
        Assert.Single(_target.Requests);
    }

    [Fact]
    public async Task Runtime_update_of_a_configured_endpoint_is_held_to_the_policy()
    {
        await using var harness = new SchedulerHarness(
            o => o.Registry.DeniedHosts.Add("127.0.0.0/8"),
            b => b.AddHttp("dyn", $"http://[::1]:{_endpoint.HttpPort}/health", critical: false));
        await harness.StartAsync();

        await harness.Registry.UpdateAsync("dyn", "::1", _endpoint.HttpPort, Spec($"http://127.0.0.1:{_target.HttpPort}/health"));

        await Eventually.TrueAsync(
            () => harness.State("dyn", "::1", _endpoint.HttpPort).Detail == "error",
            "the updated endpoint's check refused the redirect");
        Assert.Empty(_target.Requests);
    }

    private EndpointSpec Spec(string redirectTo) => new()
    {
        Dependency = "dyn",
        Type = "http",
        Host = "::1",
        Port = _endpoint.HttpPort,
        Critical = false,
        Options = new Dictionary<string, string>
        {
            ["HealthPath"] = $"/redirect/302?to={Uri.EscapeDataString(redirectTo)}",
        }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase),
    };
}
