using DepHealth.AspNetCore.Satellites.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace DepHealth.AspNetCore.Satellites.Tests;

/// <summary>The <c>grpc</c> check in pool mode through the application's GrpcChannel, against a real gRPC server on loopback.</summary>
[Trait("Category", "unit")]
public sealed class GrpcPoolModeTests
{
    [Fact]
    public async Task PoolMode_WhenTheServerIsServing_IsOk()
    {
        await using var server = await ScriptedHealthServer.StartAsync(ServingStatus.Serving);
        using var channel = GrpcChannel.ForAddress(server.Address);
        using var harness = Harness.Create(b => b.AddGrpc("payments", _ => channel, critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_WhenTheServerIsNotServing_IsGrpcNotServing()
    {
        await using var server = await ScriptedHealthServer.StartAsync(ServingStatus.NotServing);
        using var channel = GrpcChannel.ForAddress(server.Address);
        using var harness = Harness.Create(b => b.AddGrpc("payments", _ => channel, critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("grpc_not_serving", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_WhenTheServerAnswersUnknown_IsGrpcUnknown()
    {
        await using var server = await ScriptedHealthServer.StartAsync(ServingStatus.Unknown);
        using var channel = GrpcChannel.ForAddress(server.Address);
        using var harness = Harness.Create(b => b.AddGrpc("payments", _ => channel, critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("grpc_unknown", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_ForAServiceTheServerDoesNotKnow_IsGrpcUnknown()
    {
        await using var server = await ScriptedHealthServer.StartAsync((service, _) =>
            service == "payments.v1.Payments" ? Task.FromResult(ServingStatus.Serving) : throw new RpcException(new Status(StatusCode.NotFound, "unknown service")));
        using var channel = GrpcChannel.ForAddress(server.Address);
        using var harness = Harness.Create(b => b.AddGrpc("payments", _ => channel, critical: true, d => d.ServiceName = "orders.v1.Orders"));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("grpc_unknown", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_AsksAboutTheConfiguredServiceName()
    {
        await using var server = await ScriptedHealthServer.StartAsync(ServingStatus.Serving);
        using var channel = GrpcChannel.ForAddress(server.Address);
        using var harness = Harness.Create(b => b.AddGrpc("payments", _ => channel, critical: true, d => d.ServiceName = "payments.v1.Payments"));

        await harness.CheckSingleAsync();

        Assert.Equal(["payments.v1.Payments"], server.Services);
    }

    [Fact]
    public async Task PoolMode_WithoutAServiceName_AsksAboutTheWholeServer()
    {
        await using var server = await ScriptedHealthServer.StartAsync(ServingStatus.Serving);
        using var channel = GrpcChannel.ForAddress(server.Address);
        using var harness = Harness.Create(b => b.AddGrpc("payments", _ => channel, critical: true));

        await harness.CheckSingleAsync();

        Assert.Equal([""], server.Services);
    }

    [Theory]
    [InlineData(StatusCode.Unauthenticated)]
    [InlineData(StatusCode.PermissionDenied)]
    public async Task PoolMode_WhenTheServerRefusesTheCaller_IsAuthError(StatusCode status)
    {
        await using var server = await ScriptedHealthServer.StartAsync((_, _) => throw new RpcException(new Status(status, "no")));
        using var channel = GrpcChannel.ForAddress(server.Address);
        using var harness = Harness.Create(b => b.AddGrpc("payments", _ => channel, critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("auth_error", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_WhenTheServerHasNoHealthService_IsError()
    {
        await using var server = await ScriptedHealthServer.StartAsync((_, _) => throw new RpcException(new Status(StatusCode.Unimplemented, "")));
        using var channel = GrpcChannel.ForAddress(server.Address);
        using var harness = Harness.Create(b => b.AddGrpc("payments", _ => channel, critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("error", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_OnAClosedPort_IsConnectionRefused()
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{LocalPorts.Unused()}");
        using var harness = Harness.Create(b => b.AddGrpc("payments", _ => channel, critical: true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("connection_refused", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_AgainstAServerThatNeverAnswers_IsTimeoutAtTheChecksTimeout()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await ScriptedHealthServer.StartAsync(async (_, context) =>
        {
            received.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return ServingStatus.Serving;
        });
        using var channel = GrpcChannel.ForAddress(server.Address);
        using var harness = Harness.Create(b => b.AddGrpc("payments", _ => channel, critical: true));
        using var timeout = new CancellationTokenSource();

        var check = CheckRunner.RunAsync(harness.CheckerFor(harness.Single), harness.Single, timeout.Token);
        await received.Task.WaitAsync(CheckRunner.Generous);
        await timeout.CancelAsync();
        var outcome = await check.WaitAsync(TimeSpan.FromSeconds(2));

        Assert.Equal("timeout", outcome.Detail);
    }

    [Fact]
    public void PoolMode_TakesTypeHostAndPortFromTheChannelsTarget()
    {
        using var channel = GrpcChannel.ForAddress("http://payments.svc:5001");
        using var harness = Harness.Create(b => b.AddGrpc("payments", _ => channel, critical: true));

        Assert.Equal(("grpc", "payments.svc", 5001), (harness.Single.Type, harness.Single.Host, harness.Single.Port));
    }

    [Fact]
    public void PoolMode_ChannelTargetWithoutAPort_IsLabelledWithTheGrpcDefaultPort()
    {
        using var channel = GrpcChannel.ForAddress("https://payments.svc");
        using var harness = Harness.Create(b => b.AddGrpc("payments", _ => channel, critical: true));

        Assert.Equal(("payments.svc", 443), (harness.Single.Host, harness.Single.Port));
    }

    [Fact]
    public void PoolMode_WithAnIpv6Target_LabelsTheAddressWithoutBrackets()
    {
        using var channel = GrpcChannel.ForAddress("http://[::1]:5001");
        using var harness = Harness.Create(b => b.AddGrpc("payments", _ => channel, critical: true));

        Assert.Equal(("::1", 5001), (harness.Single.Host, harness.Single.Port));
    }

    [Fact]
    public async Task PoolMode_LeavesTheApplicationsChannelOpen()
    {
        await using var server = await ScriptedHealthServer.StartAsync(ServingStatus.Serving);
        using var channel = GrpcChannel.ForAddress(server.Address);
        using (var harness = Harness.Create(b => b.AddGrpc("payments", _ => channel, critical: true)))
        {
            await harness.CheckSingleAsync();
        }

        var response = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());

        Assert.Equal(ServingStatus.Serving, response.Status);
    }
}
