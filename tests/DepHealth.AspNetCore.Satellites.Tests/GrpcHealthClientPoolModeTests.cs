using DepHealth.AspNetCore.Satellites.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace DepHealth.AspNetCore.Satellites.Tests;

/// <summary>The <c>grpc</c> check in pool mode through a Health.HealthClient of the gRPC client factory.</summary>
[Trait("Category", "unit")]
public sealed class GrpcHealthClientPoolModeTests
{
    [Fact]
    public async Task PoolMode_WithTheFactorysHealthClient_IsOk()
    {
        await using var server = await ScriptedHealthServer.StartAsync(ServingStatus.Serving);
        using var harness = Harness.Create(
            b => b.AddGrpcHealthClient("payments", critical: true),
            services => services.AddGrpcClient<Health.HealthClient>(o => o.Address = server.Address));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public async Task PoolMode_WithANamedHealthClient_UsesThatClientsChannel()
    {
        await using var serving = await ScriptedHealthServer.StartAsync(ServingStatus.Serving);
        await using var notServing = await ScriptedHealthServer.StartAsync(ServingStatus.NotServing);
        using var harness = Harness.Create(
            b => b.AddGrpcHealthClient("orders", critical: true, clientName: "orders"),
            services =>
            {
                services.AddGrpcClient<Health.HealthClient>(o => o.Address = serving.Address);
                services.AddGrpcClient<Health.HealthClient>("orders", o => o.Address = notServing.Address);
            });

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal(("grpc_not_serving", notServing.Address.Port), (outcome.Detail, harness.Single.Port));
    }

    [Fact]
    public async Task PoolMode_CallsGoThroughTheClientsInterceptors()
    {
        await using var server = await ScriptedHealthServer.StartAsync((_, context) =>
            context.RequestHeaders.GetValue("authorization") == "Bearer pool-token"
                ? Task.FromResult(ServingStatus.Serving)
                : throw new RpcException(new Status(StatusCode.Unauthenticated, "")));
        using var harness = Harness.Create(
            b => b.AddGrpcHealthClient("payments", critical: true),
            services => services.AddGrpcClient<Health.HealthClient>(o => o.Address = server.Address)
                .AddCallCredentials((_, metadata) =>
                {
                    metadata.Add("authorization", "Bearer pool-token");
                    return Task.CompletedTask;
                })
                .ConfigureChannel(o => o.UnsafeUseInsecureChannelCallCredentials = true));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public void PoolMode_TakesHostAndPortFromTheClientsAddress()
    {
        using var harness = Harness.Create(
            b => b.AddGrpcHealthClient("payments", critical: true),
            services => services.AddGrpcClient<Health.HealthClient>(o => o.Address = new Uri("https://payments.svc")));

        Assert.Equal(("grpc", "payments.svc", 443), (harness.Single.Type, harness.Single.Host, harness.Single.Port));
    }
}
