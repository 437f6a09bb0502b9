using Grpc.Core;
using Grpc.Health.V1;

namespace DepHealth.AspNetCore.Grpc;

/// <summary>
/// gRPC in pool mode: <c>grpc.health.v1.Health/Check</c> through the application's channel, whose connection, TLS and
/// credentials it uses as they are and never disposes. The <c>ServiceName</c> option is the service asked about.
/// </summary>
/// <param name="client">Returns the health client over the application's channel, once per checker.</param>
internal sealed class HealthClientChecker(Func<Health.HealthClient> client) : IDependencyChecker
{
    private Health.HealthClient? _client;

    public async ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
    {
        var request = new HealthCheckRequest { Service = endpoint.GetOption(CheckerOptionKeys.ServiceName) ?? string.Empty };
        HealthCheckResponse response;
        try
        {
            response = await (_client ??= client()).CheckAsync(request, cancellationToken: cancellationToken);
        }
        catch (RpcException e)
        {
            return CheckResult.Unhealthy(
                GrpcCallErrors.Classify(e, cancellationToken.IsCancellationRequested),
                $"grpc.health.v1.Health/Check to {endpoint.Key} through the application's channel failed ({GrpcCallErrors.Describe(e)}).",
                e);
        }

        return response.Status switch
        {
            HealthCheckResponse.Types.ServingStatus.Serving => CheckResult.Healthy,
            HealthCheckResponse.Types.ServingStatus.NotServing =>
                CheckResult.Unhealthy(CheckDetails.GrpcNotServing, "The gRPC health service answered NOT_SERVING."),
            _ => CheckResult.Unhealthy(CheckDetails.GrpcUnknown, $"The gRPC health service answered {response.Status}."),
        };
    }
}
