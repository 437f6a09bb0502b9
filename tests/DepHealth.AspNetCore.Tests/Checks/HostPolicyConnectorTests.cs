using System.Net;
using DepHealth.AspNetCore.Addressing;
using DepHealth.AspNetCore.Checks.Grpc;
using DepHealth.AspNetCore.Checks.Http;
using DepHealth.AspNetCore.Tests.Checks.Grpc;

namespace DepHealth.AspNetCore.Tests.Checks;

/// <summary>
/// HTTP and gRPC checks of runtime endpoints connect only to addresses the host policy does not deny, whatever a
/// host name resolves to (DNS rebinding). Name resolution is replaced by a fixed answer.
/// </summary>
[Trait("Category", "unit")]
public sealed class HostPolicyConnectorTests
{
    private static readonly HostPolicy DenyLoopbackV4 = Policy("127.0.0.0/8");

    [Fact]
    public async Task Name_resolving_to_a_denied_address_is_never_connected_to()
    {
        await using var server = await LocalHttpServer.StartAsync();
        var spec = Http("rebound.example", server.HttpPort);
        using var checker = new HttpChecker(Settings(spec), DenyLoopbackV4, Resolve(IPAddress.Loopback));

        var failure = await OutcomeAsync(checker, spec);

        Assert.Equal(CheckDetails.Error, failure.Detail);
        Assert.Contains("DependencyHealth:Registry:DeniedHosts ('127.0.0.0/8')", Messages(failure.Exception!), StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Only_the_allowed_addresses_of_a_name_are_connected_to()
    {
        await using var allowed = await LocalHttpServer.StartAsync(IPAddress.IPv6Loopback);
        await using var denied = await LocalHttpServer.StartAsync(IPAddress.Loopback, allowed.HttpPort);
        var spec = Http("mixed.example", allowed.HttpPort);
        using var checker = new HttpChecker(Settings(spec), DenyLoopbackV4, Resolve(IPAddress.Loopback, IPAddress.IPv6Loopback));

        Assert.True((await OutcomeAsync(checker, spec)).IsHealthy);

        Assert.Single(allowed.Requests);
        Assert.Empty(denied.Requests);
    }

    [Fact]
    public async Task Tls_runs_over_a_connection_the_policy_allowed()
    {
        await using var server = await LocalHttpServer.StartAsync();
        var spec = CheckerRun.Spec(new DependencyOptions { Type = DependencyTypes.Http, Url = $"https://127.0.0.1:{server.HttpsPort}/health", TlsSkipVerify = true });
        using var checker = new HttpChecker(Settings(spec), Policy("10.0.0.0/8"));

        Assert.True((await OutcomeAsync(checker, spec)).IsHealthy);

        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Grpc_check_under_a_policy_never_connects_to_a_denied_address()
    {
        await using var server = await GrpcHealthTestServer.StartAsync(GrpcHealthReply.Status(1));
        var spec = CheckerRun.Spec(new DependencyOptions { Url = $"grpc://127.0.0.1:{server.Port}" });
        var errors = new List<EndpointValidationError>();
        var checker = new GrpcChecker(GrpcCheckerSettings.Parse(spec, errors), DenyLoopbackV4);

        var detail = await CheckerRun.DetailAsync(checker, spec);

        Assert.Empty(errors);
        Assert.Equal(CheckDetails.Error, detail);
        Assert.Empty(server.Calls);
    }

    private static HostPolicy Policy(string denied)
    {
        var options = new DependencyRegistryOptions();
        options.DeniedHosts.Add(denied);
        return HostPolicy.Create(options);
    }

    private static Func<string, CancellationToken, Task<IPAddress[]>> Resolve(params IPAddress[] addresses) =>
        (_, _) => Task.FromResult(addresses);

    private static EndpointSpec Http(string host, int port) =>
        new() { Dependency = "web", Type = DependencyTypes.Http, Host = host, Port = port, Critical = true };

    private static HttpCheckerSettings Settings(EndpointSpec spec)
    {
        var errors = new List<EndpointValidationError>();
        var settings = HttpCheckerSettings.Parse(spec, errors);
        Assert.Empty(errors);
        return settings;
    }

    private static async Task<CheckResult> OutcomeAsync(HttpChecker checker, EndpointSpec spec)
    {
        using var limit = new CancellationTokenSource(CheckerRun.Limit);
        return await checker.CheckAsync(spec, limit.Token);
    }

    private static string Messages(Exception exception)
    {
        var text = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            text.Add(e.Message);
        }

        return string.Join(" | ", text);
    }
}
