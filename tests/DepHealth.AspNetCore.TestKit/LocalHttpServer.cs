using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.TestKit;

/// <summary>
/// A real Kestrel server on loopback (HTTP, and HTTPS with a self-signed certificate for <c>localhost</c>) for HTTP checker
/// tests. It records the last request's headers.
/// </summary>
public sealed class LocalHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _gatedRequests;

    private LocalHttpServer(WebApplication app, int httpPort, int httpsPort)
    {
        _app = app;
        HttpPort = httpPort;
        HttpsPort = httpsPort;
    }

    public int HttpPort { get; }

    public int HttpsPort { get; }

    public IHeaderDictionary? LastHeaders { get; private set; }

    public string? LastTlsServerName { get; private set; }

    /// <summary>Requests to <c>/gated</c> received so far; each is answered (200) once <see cref="OpenGate"/> is called.</summary>
    public int GatedRequests => Volatile.Read(ref _gatedRequests);

    /// <summary>Lets every request to <c>/gated</c>, waiting or still to come, be answered.</summary>
    public void OpenGate() => _gate.TrySetResult();

    public static async Task<LocalHttpServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var certificate = TestCertificates.SelfSigned();
        LocalHttpServer? server = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(https =>
            {
                https.ServerCertificateSelector = (_, name) =>
                {
                    if (server is not null)
                    {
                        server.LastTlsServerName = name;
                    }

                    return certificate;
                };
            }));
        });
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (server is not null)
            {
                server.LastHeaders = new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value));
            }

            await next(context);
        });
        app.MapMethods("/health", ["GET", "HEAD", "POST"], () => Results.Ok());
        app.MapGet("/status/{code:int}", (int code) => Results.StatusCode(code));
        app.MapGet("/redirect", () => Results.Redirect("/health"));
        app.MapGet("/hang", async (HttpContext context) => await Task.Delay(Timeout.Infinite, context.RequestAborted));
        app.MapGet("/slow/{milliseconds:int}", async (int milliseconds, HttpContext context) =>
        {
            await Task.Delay(milliseconds, context.RequestAborted);
            return Results.Ok();
        });
        app.MapGet("/gated", async (HttpContext context) =>
        {
            Interlocked.Increment(ref server!._gatedRequests);
            await server._gate.Task.WaitAsync(context.RequestAborted);
            return Results.Ok();
        });
        await app.StartAsync();

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a))
            .ToArray();
        server = new LocalHttpServer(
            app,
            addresses.Single(a => a.Scheme == "http").Port,
            addresses.Single(a => a.Scheme == "https").Port);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
