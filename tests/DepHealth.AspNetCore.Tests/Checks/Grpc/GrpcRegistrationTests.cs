
namespace DepHealth.AspNetCore.Tests.Checks.Grpc;

[Trait("Category", "unit")]
public sealed class GrpcRegistrationTests
{
    [Fact]
    public void AddGrpc_with_a_url_and_options_passes_startup_validation()
    {
        Assert.Empty(StartupValidation.Failures(b => b.AddGrpc("orders", "grpc://orders.svc:50051", critical: true, d =>
        {
            d.ServiceName = "orders.v1.OrderService";
            d.Metadata["x-tenant"] = "blue";
        })));
    }

    [Fact]
    public void AddGrpc_with_two_ways_to_authenticate_fails_startup_validation_on_its_key()
    {
        var failure = Assert.Single(StartupValidation.Failures(b => b.AddGrpc("orders", "grpc://orders.svc:50051", critical: true, d =>
        {
            d.BearerToken = "token";
            (d.BasicUsername, d.BasicPassword) = ("u", "p");
        })));

        Assert.StartsWith("DependencyHealth:Dependencies:orders:BearerToken:", failure, StringComparison.Ordinal);
    }
}
