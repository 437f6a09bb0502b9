using System.Net;
using DepHealth.Sample;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.Tests.Registry;

/// <summary>
/// The registry API protected as in the sample (X-Api-Key, policy <c>admin</c>), on the test server, with requests sent
/// from a chosen client address. <c>/ops</c> is another endpoint of the application behind the same policy.
/// </summary>
internal sealed class ApiKeyWebApp : IAsyncDisposable
{
    public const string RightKey = "right-key-7c1e52";
    public const string ReadOnlyKey = "read-only-key-93ab04";

    private readonly WebApplication _app;

    private ApiKeyWebApp(WebApplication app, FakeLoggerProvider logs)
    {
        _app = app;
        Logs = logs;
    }

    public FakeLoggerProvider Logs { get; }

    public static async Task<ApiKeyWebApp> StartAsync(
        Action<DependencyRegistryOptions>? registry = null,
        Action<IServiceCollection>? before = null,
        Action<IServiceCollection>? after = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var logs = new FakeLoggerProvider();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        before?.Invoke(builder.Services);
        builder.Services.AddDependencyHealth(o =>
        {
            (o.Name, o.Group) = ("app", "team");
            registry?.Invoke(o.Registry);
        });
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, o => (o.ApiKey, o.ReadOnlyApiKey) = (RightKey, ReadOnlyKey));
        builder.Services.AddAuthorizationBuilder().AddPolicy("admin", p => p.RequireRole(ApiKeyAuthenticationHandler.AdminRole));
        after?.Invoke(builder.Services);

        var app = builder.Build();
        try
        {
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapEndpointRegistryApi().RequireAuthorization("admin");
            app.MapGet("/ops", () => "ok").RequireAuthorization("admin");
            await app.StartAsync();
            return new ApiKeyWebApp(app, logs);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends a request from <paramref name="client"/>, with <c>X-Api-Key: key</c> unless null.</summary>
    public async Task<HttpResponse> SendAsync(string client, string? key, string path = "/admin/endpoints")
    {
        var context = await _app.GetTestServer().SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = path;
            c.Connection.RemoteIpAddress = IPAddress.Parse(client);
            if (key is not null)
            {
                c.Request.Headers[ApiKeyAuthenticationHandler.HeaderName] = key;
            }
        });
        return context.Response;
    }

    /// <summary>The status codes of <paramref name="count"/> requests in a row.</summary>
    public async Task<List<int>> StatusesAsync(string client, string? key, int count, string path = "/admin/endpoints")
    {
        var statuses = new List<int>();
        for (var i = 0; i < count; i++)
        {
            statuses.Add((await SendAsync(client, key, path)).StatusCode);
        }

        return statuses;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
