using DepHealth.AspNetCore.Satellites.Tests.Infrastructure;
using Grpc.Core;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace DepHealth.AspNetCore.Satellites.Tests;

/// <summary>
/// The gRPC probes (<c>readiness</c>, <c>liveness</c>) asked by a real gRPC client over h2c on loopback, beside the HTTP
/// probes of the same application.
/// </summary>
[Trait("Category", "unit")]
public sealed class GrpcProbeTests
{
    [Fact]
    public async Task Readiness_WhileACriticalDependencyIsDown_IsNotServingAsHttpReadinessIs503()
    {
        await using var app = await GrpcProbeApp.StartAsync(up: false);
        await Eventually.ValueAsync(() => app.HttpStatusAsync("/health/ready"), s => s == 503, "/health/ready reports the dependency down");

        var status = await app.CheckAsync("readiness");

        Assert.Equal(ServingStatus.NotServing, status);
    }

    [Fact]
    public async Task Readiness_WhileTheCriticalDependencyIsUp_IsServing()
    {
        await using var app = await GrpcProbeApp.StartAsync(up: true);
        await Eventually.ValueAsync(() => app.HttpStatusAsync("/health/ready"), s => s == 200, "/health/ready reports the dependency up");

        var status = await app.CheckAsync("readiness");

        Assert.Equal(ServingStatus.Serving, status);
    }

    [Fact]
    public async Task Readiness_FollowsTheDependencyWhenItRecovers()
    {
        await using var app = await GrpcProbeApp.StartAsync(up: false);
        await Eventually.ValueAsync(() => app.CheckAsync("readiness"), s => s == ServingStatus.NotServing, "gRPC readiness reports the dependency down");

        app.Up = true;

        await Eventually.ValueAsync(() => app.CheckAsync("readiness"), s => s == ServingStatus.Serving, "gRPC readiness reports the recovery");
    }

    [Fact]
    public async Task Liveness_WhileACriticalDependencyIsDown_IsServing()
    {
        await using var app = await GrpcProbeApp.StartAsync(up: false);
        await Eventually.ValueAsync(() => app.HttpStatusAsync("/health/ready"), s => s == 503, "/health/ready reports the dependency down");

        var status = await app.CheckAsync("liveness");

        Assert.Equal(ServingStatus.Serving, status);
    }

    [Fact]
    public async Task UnknownService_IsNotFound()
    {
        await using var app = await GrpcProbeApp.StartAsync(up: true);

        var error = await Assert.ThrowsAsync<RpcException>(() => app.CheckAsync("startup"));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }
}
