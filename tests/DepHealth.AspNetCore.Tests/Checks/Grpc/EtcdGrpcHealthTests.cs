using DepHealth.AspNetCore.Checks.Grpc;

namespace DepHealth.AspNetCore.Tests.Checks.Grpc;

/// <summary>The gRPC check against a real server: etcd serves grpc.health.v1.Health on its client port over h2c.</summary>
[Trait("Category", "integration")]
public sealed class EtcdGrpcHealthTests
{
    [Fact]
    public async Task Etcd_server_health_is_serving()
    {
        var url = RequiredEnvironment.Get("DEPHEALTH_TEST_ETCD_URL");
        var spec = CheckerRun.Spec(new DependencyOptions { Type = DependencyTypes.Grpc, Url = url });

        Assert.Equal(CheckDetails.Ok, await CheckerRun.DetailAsync(new GrpcCheckerFactory(), spec));
    }
}
