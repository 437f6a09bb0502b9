using System.Collections.Concurrent;
using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.Satellites.Tests.Infrastructure;

/// <summary>
/// A real gRPC server (Grpc.AspNetCore on Kestrel, h2c on loopback) whose <c>grpc.health.v1.Health/Check</c> answers as
/// the test says: a serving status, or an <see cref="RpcException"/> it throws, or a call that never answers.
/// </summary>
internal sealed class ScriptedHealthServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedHealthServer(WebApplication app, Uri address, ConcurrentQueue<string> services)
    {
        _app = app;
        Address = address;
        Services = services;
    }

    /// <summary>The server's address, <c>http://127.0.0.1:port</c>.</summary>
    public Uri Address { get; }

    /// <summary>The service names asked about, in order.</summary>
    public ConcurrentQueue<string> Services { get; }

    public static async Task<ScriptedHealthServer> StartAsync(Func<string, ServerCallContext, Task<HealthCheckResponse.Types.ServingStatus>> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        var services = new ConcurrentQueue<string>();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(new ScriptedHealthService(answer, services));
        var app = builder.Build();
        app.MapGrpcService<ScriptedHealthService>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ScriptedHealthServer(app, new Uri(address), services);
    }

    public static Task<ScriptedHealthServer> StartAsync(HealthCheckResponse.Types.ServingStatus status) =>
        StartAsync((_, _) => Task.FromResult(status));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class ScriptedHealthService(
        Func<string, ServerCallContext, Task<HealthCheckResponse.Types.ServingStatus>> answer, ConcurrentQueue<string> services) : Health.HealthBase
    {
        public override async Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
        {
            services.Enqueue(request.Service);
            return new HealthCheckResponse { Status = await answer(request.Service, context) };
        }
    }
}
