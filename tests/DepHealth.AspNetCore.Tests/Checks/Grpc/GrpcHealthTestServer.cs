using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.Tests.Checks.Grpc;

/// <summary>A call as the server saw it: the decoded service name, the request headers and the authority.</summary>
public sealed record GrpcHealthCall(string Service, IReadOnlyDictionary<string, string> Headers, string Authority, string Protocol, bool Https);

/// <summary>
/// How to answer: a gRPC status, and for status 0 the HealthCheckResponse status to send. <see cref="TrailersOnly"/>
/// puts grpc-status in the response headers with no body, as servers do for errors.
/// </summary>
public sealed record GrpcHealthReply(int GrpcStatus, int? ServingStatus = null, bool TrailersOnly = false)
{
    /// <summary>Answer as a plain HTTP/2 server would: 200, text/plain, no gRPC at all.</summary>
    public bool PlainHttp { get; init; }

    public static GrpcHealthReply Status(int servingStatus) => new(0, servingStatus);
}

/// <summary>
/// A Kestrel HTTP/2 server (h2c, or TLS with a self-signed certificate made here) implementing
/// <c>grpc.health.v1.Health/Check</c> by hand: it reads the request frame and writes a frame plus grpc-status trailers.
/// </summary>
public sealed class GrpcHealthTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcHealthTestServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public ConcurrentQueue<GrpcHealthCall> Calls { get; } = new();

    public static Task<GrpcHealthTestServer> StartAsync(GrpcHealthReply reply, bool tls = false) => StartAsync(_ => reply, tls);

    public static async Task<GrpcHealthTestServer> StartAsync(Func<GrpcHealthCall, GrpcHealthReply> respond, bool tls = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var certificate = tls ? TestCertificates.SelfSigned() : null;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        GrpcHealthTestServer? server = null;
        app.MapPost("/grpc.health.v1.Health/Check", async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var call = new GrpcHealthCall(
                DecodeService(body.ToArray()),
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                context.Request.Host.Value ?? string.Empty,
                context.Request.Protocol,
                context.Request.IsHttps);
            server!.Calls.Enqueue(call);
            var reply = respond(call);

            if (reply.PlainHttp)
            {
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("hello", context.RequestAborted);
                return;
            }

            context.Response.ContentType = "application/grpc";
            var status = reply.GrpcStatus.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (reply.TrailersOnly)
            {
                context.Response.Headers["grpc-status"] = status;
                return;
            }

            if (reply.ServingStatus is { } serving)
            {
                // HealthCheckResponse { status = 1 }; proto3 leaves out the default 0.
                byte[] frame = serving == 0 ? [0, 0, 0, 0, 0] : [0, 0, 0, 0, 2, 0x08, (byte)serving];
                await context.Response.Body.WriteAsync(frame, context.RequestAborted);
            }

            context.Response.AppendTrailer("grpc-status", status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new GrpcHealthTestServer(app, new Uri(address).Port);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Decodes the request frame independently of the checker: flag, length, then field 1 as a string.</summary>
    private static string DecodeService(byte[] frame)
    {
        Assert.True(frame.Length >= 5, "the request has no complete gRPC frame");
        Assert.Equal(0, frame[0]);
        var length = (frame[1] << 24) | (frame[2] << 16) | (frame[3] << 8) | frame[4];
        Assert.Equal(frame.Length - 5, length);
        if (length == 0)
        {
            return string.Empty;
        }

        Assert.Equal(0x0A, frame[5]);
        var position = 6;
        var nameLength = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = frame[position++];
            nameLength |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }
        }

        Assert.Equal(frame.Length - position, nameLength);
        return Encoding.UTF8.GetString(frame, position, nameLength);
    }
}
