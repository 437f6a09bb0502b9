using System.Text.Json;
using DepHealth.Sample;

namespace DepHealth.AspNetCore.Tests.Sample;

/// <summary>
/// The sample adds its self endpoints after the server starts, where the package's readiness does not wait for a first
/// check; its own readiness check (<see cref="SelfEndpointsReadiness"/>) does, so the sample is never ready before
/// those endpoints exist and have been checked.
/// </summary>
[Trait("Category", "unit")]
public sealed class SelfEndpointsReadinessTests
{
    private static readonly EndpointKey Self = new("self-http", "127.0.0.1", 5080);

    /// <summary>An in-memory app with the sample's readiness check, as the sample registers it.</summary>
    private static Task<TestWebApp> StartAsync() => TestWebApp.StartAsync(services: s =>
    {
        s.AddSingleton<SelfEndpointsReadiness>();
        s.AddHealthChecks().AddCheck<SelfEndpointsReadiness>("sample-self-endpoints", tags: [DependencyHealthServiceCollectionExtensions.ReadyTag]);
    });

    /// <summary>Adds a critical endpoint whose checks wait for <paramref name="check"/>, as the sample's reload adds its own.</summary>
    private static Task<bool> AddAsync(TestWebApp app, EndpointKey key, Task check) => app.Registry.AddAsync(new EndpointSpec
    {
        Dependency = key.Dependency,
        Type = DependencyTypes.Tcp,
        Host = key.Host,
        Port = key.Port,
        Critical = true,
        CheckerFactory = _ => new GatedChecker(check),
    });

    private static string[] Pending(string body)
    {
        using var probe = JsonDocument.Parse(body);
        return probe.RootElement.TryGetProperty("pending", out var pending) ? [.. pending.EnumerateArray().Select(p => p.GetString()!)] : [];
    }

    [Fact]
    public async Task Readiness_fails_before_the_servers_address_is_known()
    {
        await using var app = await StartAsync();

        var (status, body) = await app.GetAsync("health/ready");

        Assert.Equal(503, status);
        Assert.Contains("\"sample-self-endpoints\":\"unhealthy\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_lists_a_self_endpoint_as_pending_until_its_first_check_ends()
    {
        await using var app = await StartAsync();
        var check = new TaskCompletionSource();
        app.Services.GetRequiredService<SelfEndpointsReadiness>().WaitFor([Self]);
        await AddAsync(app, Self, check.Task);

        var (status, body) = await app.GetAsync("health/ready");
        check.SetResult();

        Assert.Equal(503, status);
        Assert.Equal([Self.ToString()], Pending(body));
    }

    [Fact]
    public async Task Readiness_passes_once_every_self_endpoint_has_been_checked()
    {
        await using var app = await StartAsync();
        var tcp = Self with { Dependency = "self-tcp" };
        app.Services.GetRequiredService<SelfEndpointsReadiness>().WaitFor([Self, tcp]);
        await AddAsync(app, Self, Task.CompletedTask);
        await Eventually.ValueAsync(() => app.GetAsync("health/ready"), r => Pending(r.Body).SequenceEqual([tcp.ToString()]), "the first self endpoint is checked");

        await AddAsync(app, tcp, Task.CompletedTask);

        await Eventually.ValueAsync(() => app.GetAsync("health/ready"), r => r.Status == 200, "both self endpoints are checked");
    }

    [Fact]
    public async Task A_check_of_another_endpoint_leaves_the_self_endpoint_pending()
    {
        await using var app = await StartAsync();
        var check = new TaskCompletionSource();
        app.Services.GetRequiredService<SelfEndpointsReadiness>().WaitFor([Self]);
        await AddAsync(app, Self, check.Task);
        var other = new EndpointKey("self-http", "127.0.0.1", 5081);
        await AddAsync(app, other, Task.CompletedTask);
        await Eventually.ValueAsync(() => app.GetAsync("health/details"), r => r.Body.Contains("\"status\":\"ok\"", StringComparison.Ordinal), "the other endpoint is checked");

        var (status, body) = await app.GetAsync("health/ready");
        check.SetResult();

        Assert.Equal(503, status);
        Assert.Equal([Self.ToString()], Pending(body));
    }

    [Fact]
    public async Task Readiness_passes_at_once_when_there_is_no_self_endpoint_to_wait_for()
    {
        await using var app = await StartAsync();

        app.Services.GetRequiredService<SelfEndpointsReadiness>().WaitFor([]);

        Assert.Equal(200, (await app.GetAsync("health/ready")).Status);
    }

    /// <summary>A checker whose every check waits for a task the test completes.</summary>
    private sealed class GatedChecker(Task check) : IDependencyChecker
    {
        public async ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
        {
            await check.WaitAsync(cancellationToken);
            return CheckResult.Healthy;
        }
    }
}
