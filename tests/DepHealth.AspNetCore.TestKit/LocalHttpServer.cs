using System.Collections.Concurrent;
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
/// tests. It records every request, and redirects: <c>/redirect/{code}?to=url</c> answers <c>code</c> with
/// <c>Location: url</c>, <c>/hops/{n}</c> redirects n times before answering 200, <c>/loop</c> redirects to itself.
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

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public string? LastTlsServerName { get; private set; }

    /// <summary>Requests to <c>/gated</c> received so far; each is answered (200) once <see cref="OpenGate"/> is called.</summary>
    public int GatedRequests => Volatile.Read(ref _gatedRequests);

    /// <summary>Lets every request to <c>/gated</c>, waiting or still to come, be answered.</summary>
    public void OpenGate() => _gate.TrySetResult();

    /// <summary>Starts the server on <paramref name="address"/> (default 127.0.0.1), HTTP on <paramref name="httpPort"/> (default any free port).</summary>
    public static async Task<LocalHttpServer> StartAsync(IPAddress? address = null, int httpPort = 0)
    {
        address ??= IPAddress.Loopback;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var certificate = TestCertificates.SelfSigned();
        LocalHttpServer? server = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, httpPort);
            kestrel.Listen(address, 0, listen => listen.UseHttps(https =>
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
                server.Requests.Enqueue(new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, server.LastHeaders)
                {
                    ConnectionId = context.Connection.Id,
                });
            }

            await next(context);
        });
        app.MapMethods("/health", ["GET", "HEAD", "POST"], () => Results.Ok());
        app.MapGet("/status/{code:int}", (int code) => Results.StatusCode(code));
        app.MapGet("/redirect", () => Results.Redirect("/health"));
        app.MapMethods("/redirect/{code:int}", ["GET", "HEAD", "POST"], (int code, string to, HttpContext context) =>
        {
            context.Response.Headers.Location = to;
            return Results.StatusCode(code);
        });
        app.MapGet("/hops/{count:int}", (int count) => count > 0 ? Results.Redirect($"/hops/{count - 1}") : Results.Ok());
        app.MapGet("/loop", () => Results.Redirect("/loop"));
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

/// <summary>A request as <see cref="LocalHttpServer"/> received it.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, IHeaderDictionary Headers)
{
    /// <summary>Kestrel's id of the connection the request came on: equal ids mean a reused connection.</summary>
    public string ConnectionId { get; init; } = string.Empty;
}
