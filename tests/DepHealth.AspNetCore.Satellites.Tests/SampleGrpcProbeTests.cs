using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace DepHealth.AspNetCore.Satellites.Tests;

/// <summary>The sample serves the gRPC probes that samples/kubernetes/deployment.yaml points its kubelet at.</summary>
[Trait("Category", "unit")]
public sealed class SampleGrpcProbeTests
{
    private sealed class DefaultSample : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseEnvironment("Production");
    }

    [Theory]
    [InlineData("readiness")]
    [InlineData("liveness")]
    public async Task Sample_with_its_default_configuration_serves_the_grpc_probe(string service)
    {
        await using var sample = new DefaultSample();
        using var channel = GrpcChannel.ForAddress(sample.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = sample.Server.CreateHandler() });

        var response = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest { Service = service });

        Assert.Equal(ServingStatus.Serving, response.Status);
    }
}
