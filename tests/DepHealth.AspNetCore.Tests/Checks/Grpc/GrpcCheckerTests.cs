using System.Text;
using DepHealth.AspNetCore.Checks.Grpc;

namespace DepHealth.AspNetCore.Tests.Checks.Grpc;

/// <summary>The gRPC check against an in-test Kestrel server implementing grpc.health.v1.Health/Check.</summary>
[Trait("Category", "unit")]
public sealed class GrpcCheckerTests
{
    private const int Unknown = 0;
    private const int Serving = 1;
    private const int NotServing = 2;
    private const int ServiceUnknown = 3;

    private static readonly GrpcCheckerFactory Factory = new();

    [Fact]
    public async Task Serving_is_ok()
    {
        await using var server = await GrpcHealthTestServer.StartAsync(GrpcHealthReply.Status(Serving));

        Assert.Equal(CheckDetails.Ok, await DetailAsync(server));
        var call = Assert.Single(server.Calls);
        Assert.Equal("HTTP/2", call.Protocol);
        Assert.False(call.Https);
        Assert.Equal("application/grpc", call.Headers["content-type"]);
        Assert.Equal("trailers", call.Headers["te"]);
        Assert.StartsWith("dephealth/", call.Headers["user-agent"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_serving_is_grpc_not_serving()
    {
        await using var server = await GrpcHealthTestServer.StartAsync(GrpcHealthReply.Status(NotServing));

        Assert.Equal(CheckDetails.GrpcNotServing, await DetailAsync(server));
    }

    [Fact]
    public async Task Service_unknown_is_grpc_unknown()
    {
        await using var server = await GrpcHealthTestServer.StartAsync(GrpcHealthReply.Status(ServiceUnknown));

        Assert.Equal(CheckDetails.GrpcUnknown, await DetailAsync(server));
    }

    [Fact]
    public async Task Unknown_serving_status_is_grpc_unknown()
    {
        await using var server = await GrpcHealthTestServer.StartAsync(GrpcHealthReply.Status(Unknown));

        Assert.Equal(CheckDetails.GrpcUnknown, await DetailAsync(server));
    }

    [Fact]
    public async Task Not_found_status_for_an_unknown_service_is_grpc_unknown()
    {
        await using var server = await GrpcHealthTestServer.StartAsync(new GrpcHealthReply(5, TrailersOnly: true));

        Assert.Equal(CheckDetails.GrpcUnknown, await DetailAsync(server, d => d.ServiceName = "nobody.Knows"));
    }

    [Fact]
    public async Task Unauthenticated_in_a_trailers_only_response_is_auth_error()
    {
        await using var server = await GrpcHealthTestServer.StartAsync(new GrpcHealthReply(16, TrailersOnly: true));

        Assert.Equal(CheckDetails.AuthError, await DetailAsync(server));
    }

    [Fact]
    public async Task Permission_denied_in_trailers_is_auth_error()
    {
        await using var server = await GrpcHealthTestServer.StartAsync(new GrpcHealthReply(7));

        Assert.Equal(CheckDetails.AuthError, await DetailAsync(server));
    }

    [Fact]
    public async Task Unimplemented_health_service_is_error()
    {
        await using var server = await GrpcHealthTestServer.StartAsync(new GrpcHealthReply(12, TrailersOnly: true));

        Assert.Equal(CheckDetails.Error, await DetailAsync(server));
    }

    [Fact]
    public async Task Other_grpc_status_is_error()
    {
        await using var server = await GrpcHealthTestServer.StartAsync(new GrpcHealthReply(14));

        Assert.Equal(CheckDetails.Error, await DetailAsync(server));
    }

    [Fact]
    public async Task Http2_server_that_does_not_speak_grpc_is_error()
    {
        await using var server = await GrpcHealthTestServer.StartAsync(new GrpcHealthReply(0) { PlainHttp = true });

        Assert.Equal(CheckDetails.Error, await DetailAsync(server));
    }

    [Fact]
    public async Task Service_name_is_sent_in_the_request_message()
    {
        await using var server = await GrpcHealthTestServer.StartAsync(GrpcHealthReply.Status(Serving));

        Assert.Equal(CheckDetails.Ok, await DetailAsync(server, d => d.ServiceName = "orders.v1.OrderService"));
        Assert.Equal("orders.v1.OrderService", Assert.Single(server.Calls).Service);
    }

    [Fact]
    public async Task Empty_service_name_sends_an_empty_message()
    {
        await using var server = await GrpcHealthTestServer.StartAsync(GrpcHealthReply.Status(Serving));

        Assert.Equal(CheckDetails.Ok, await DetailAsync(server));
        Assert.Equal(string.Empty, Assert.Single(server.Calls).Service);
    }

    [Fact]
    public async Task Metadata_and_bearer_token_are_sent_as_headers()
    {
        await using var server = await GrpcHealthTestServer.StartAsync(GrpcHealthReply.Status(Serving));

        var detail = await DetailAsync(server, d =>
        {
            d.Metadata["X-Tenant"] = "blue";
            d.Metadata["x-request-source"] = "dephealth-test";
            d.BearerToken = "token-123";
        });

        Assert.Equal(CheckDetails.Ok, detail);
        var headers = Assert.Single(server.Calls).Headers;
        Assert.Equal("blue", headers["x-tenant"]);
        Assert.Equal("dephealth-test", headers["x-request-source"]);
        Assert.Equal("Bearer token-123", headers["authorization"]);
    }

    [Fact]
    public async Task Basic_credentials_are_sent_as_authorization()
    {
        await using var server = await GrpcHealthTestServer.StartAsync(GrpcHealthReply.Status(Serving));

        Assert.Equal(CheckDetails.Ok, await DetailAsync(server, d => (d.BasicUsername, d.BasicPassword) = ("app", "s3cret")));
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("app:s3cret"));
        Assert.Equal(expected, Assert.Single(server.Calls).Headers["authorization"]);
    }

    [Fact]
    public async Task Authority_override_arrives_as_authority()
    {
        await using var server = await GrpcHealthTestServer.StartAsync(GrpcHealthReply.Status(Serving));

        Assert.Equal(CheckDetails.Ok, await DetailAsync(server, d => d.GrpcAuthority = "health.internal.example:8443"));
        Assert.Equal("health.internal.example:8443", Assert.Single(server.Calls).Authority);
    }

    [Fact]
    public async Task Tls_with_skip_verify_against_self_signed_certificate_is_ok()
    {
        await using var server = await GrpcHealthTestServer.StartAsync(GrpcHealthReply.Status(Serving), tls: true);

        Assert.Equal(CheckDetails.Ok, await DetailAsync(server, d => (d.Tls, d.TlsSkipVerify) = (true, true)));
        Assert.True(Assert.Single(server.Calls).Https);
    }

    [Fact]
    public async Task Https_url_means_tls()
    {
        await using var server = await GrpcHealthTestServer.StartAsync(GrpcHealthReply.Status(Serving), tls: true);
        var spec = CheckerRun.Spec(new DependencyOptions { Type = DependencyTypes.Grpc, Url = $"https://127.0.0.1:{server.Port}", TlsSkipVerify = true });

        Assert.Equal(CheckDetails.Ok, await CheckerRun.DetailAsync(Factory, spec));
    }

    [Fact]
    public async Task Tls_without_skip_verify_against_self_signed_certificate_is_tls_error()
    {
        await using var server = await GrpcHealthTestServer.StartAsync(GrpcHealthReply.Status(Serving), tls: true);

        Assert.Equal(CheckDetails.TlsError, await DetailAsync(server, d => d.Tls = true));
        Assert.Empty(server.Calls);
    }

    [Fact]
    public async Task Closed_port_is_connection_refused()
    {
        var spec = CheckerRun.Spec(new DependencyOptions { Url = $"grpc://127.0.0.1:{LoopbackTcpServer.UnusedPort()}" });

        Assert.Equal(CheckDetails.ConnectionRefused, await CheckerRun.DetailAsync(Factory, spec));
    }

    [Fact]
    public async Task Unresolvable_host_is_dns_error()
    {
        var spec = CheckerRun.Spec(new DependencyOptions { Url = "grpc://nonexistent.invalid:50051" });

        Assert.Equal(CheckDetails.DnsError, await CheckerRun.DetailAsync(Factory, spec));
    }

    [Fact]
    public async Task Server_that_never_answers_is_timeout_when_cancelled()
    {
        var accepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = LoopbackTcpServer.Start(async (_, ct) =>
        {
            accepted.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        using var cancellation = new CancellationTokenSource();
        var spec = CheckerRun.Spec(new DependencyOptions { Url = $"grpc://127.0.0.1:{server.Port}" });

        var check = CheckerRun.DetailAsync(Factory, spec, cancellation.Token);
        await accepted.Task.WaitAsync(CheckerRun.Limit);
        await cancellation.CancelAsync();

        Assert.Equal(CheckDetails.Timeout, await check);
    }

    /// <summary>Checks the server through a <c>grpc://</c> URL (plaintext, as the port is not 443) with extra options.</summary>
    private static Task<string> DetailAsync(GrpcHealthTestServer server, Action<DependencyOptions>? configure = null)
    {
        var options = new DependencyOptions { Url = $"grpc://127.0.0.1:{server.Port}" };
        configure?.Invoke(options);
        return CheckerRun.DetailAsync(Factory, CheckerRun.Spec(options));
    }
}
