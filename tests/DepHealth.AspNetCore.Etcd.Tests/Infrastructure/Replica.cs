using System.Net.Http.Headers;
using System.Text;
using DepHealth.AspNetCore.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace DepHealth.AspNetCore.Etcd.Tests.Infrastructure;

/// <summary>One replica of an application whose registry store is etcd: a <see cref="TestWebApp"/> checking every second.</summary>
public sealed class Replica : IAsyncDisposable
{
    private Replica(TestWebApp app) => App = app;

    public TestWebApp App { get; }

    public HttpClient Client => App.Client;

    internal EtcdEndpointStore Store => (EtcdEndpointStore)App.Services.GetRequiredService<EndpointStoreHolder>().Store!;

    /// <summary>The longest delay before the watch reconnects (the first is 200 ms, doubling up to this).</summary>
    public static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Starts a replica; with <paramref name="reconnectClock"/> its watch's reconnect delays (no jitter) run on that clock,
    /// so the test decides when it reconnects.
    /// </summary>
    public static async Task<Replica> StartAsync(Uri etcd, string prefix, Action<DependencyHealthOptions>? configure = null, TimerTrackingTimeProvider? reconnectClock = null) =>
        new(await TestWebApp.StartAsync(
            configure: o =>
            {
                o.Registry.Store = "etcd";
                o.Registry.MutationsPerSecond = 0;
                o.CheckInterval = TimeSpan.FromSeconds(1);
                o.Timeout = TimeSpan.FromMilliseconds(500);
                configure?.Invoke(o);
            },
            dependencies: b => b.AddEtcdRegistryStore(o =>
            {
                o.Endpoints = etcd.ToString();
                o.Prefix = prefix;
                o.RequestTimeout = TimeSpan.FromSeconds(2);
                o.ReconnectDelay = TimeSpan.FromMilliseconds(200);
                o.MaxReconnectDelay = MaxReconnectDelay;
                if (reconnectClock is not null)
                {
                    o.ReconnectClock = reconnectClock;
                    o.ReconnectJitter = false;
                }
            })));

    public static StringContent Json(string json) => new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    /// <summary>A tcp endpoint of the dependency <c>storage</c> on 127.0.0.1.</summary>
    public static string Tcp(int port, string extra = "") =>
        $"{{\"dependency\":\"storage\",\"type\":\"tcp\",\"host\":\"127.0.0.1\",\"port\":{port},\"critical\":false{extra}}}";

    public async Task<(int Status, string Body)> PostAsync(string json)
    {
        using var response = await Client.PostAsync(new Uri("/admin/endpoints", UriKind.Relative), Json(json));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<(int Status, string Body)> PutAsync(int port, string json)
    {
        using var response = await Client.PutAsync(new Uri($"/admin/endpoints/storage/127.0.0.1/{port}", UriKind.Relative), Json(json));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<(int Status, string Body)> DeleteAsync(int port)
    {
        using var response = await Client.DeleteAsync(new Uri($"/admin/endpoints/storage/127.0.0.1/{port}", UriKind.Relative));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<string> MetricsAsync() => (await App.GetAsync("/metrics")).Body;

    public async Task<string> DetailsAsync() => (await App.GetAsync("/health/details")).Body;

    /// <summary>The spec this replica runs under the key, or null.</summary>
    public EndpointSpec? Spec(int port) =>
        App.Registry.TryGet(new EndpointKey("storage", "127.0.0.1", port), out var endpoint) ? endpoint.Spec : null;

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
