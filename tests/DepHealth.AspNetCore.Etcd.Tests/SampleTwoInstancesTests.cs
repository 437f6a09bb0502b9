using System.Net;
using DepHealth.AspNetCore.Etcd.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DepHealth.AspNetCore.Etcd.Tests;

/// <summary>
/// The operator's scenario: two instances of the sample share one etcd; a dependency put under the prefix is monitored
/// by both within seconds, and both keep monitoring when etcd dies.
/// </summary>
/// <remarks>
/// WebApplicationFactory finds the sample's host through a process-wide hosting diagnostic listener, so it must not
/// build hosts while other tests of this assembly build theirs: the collection runs alone.
/// </remarks>
[Trait("Category", "integration")]
[Collection(nameof(SampleTwoInstancesTests))]
public sealed class SampleTwoInstancesTests
{
    private sealed class SampleInstance(Uri etcd, string prefix, string store = "memory") : WebApplicationFactory<Program>
    {
        public const string ApiKey = "two-instances-key";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Admin:ApiKey", ApiKey);
            builder.UseSetting("DependencyHealth:Registry:Store", store);
            builder.UseSetting("Etcd:Endpoints", etcd.ToString());
            builder.UseSetting("Etcd:Prefix", prefix);
            builder.UseSetting("Etcd:ReconnectDelay", "00:00:00.2");
            builder.UseSetting("Etcd:MaxReconnectDelay", "00:00:01");
            builder.UseSetting("DependencyHealth:CheckInterval", "00:00:01");
            builder.UseSetting("DependencyHealth:Timeout", "00:00:00.5");
            builder.UseSetting("DependencyHealth:InitialDelay", "00:00:00");
        }
    }

    private static Task<string> DetailsAsync(HttpClient client) => client.GetStringAsync(new Uri("/health/details", UriKind.Relative));

    [Fact]
    public async Task Both_instances_monitor_a_dependency_put_in_etcd_within_3_seconds_and_keep_monitoring_when_etcd_dies()
    {
        await using var etcd = await EtcdServer.StartAsync();
        await using var listener = new SilentListener();
        const string prefix = "/dephealth/sample";
        await using var first = new SampleInstance(etcd.Url, prefix);
        await using var second = new SampleInstance(etcd.Url, prefix);
        using var a = first.CreateClient();
        using var b = second.CreateClient();
        Assert.Equal("{}", await DetailsAsync(a));
        Assert.Equal("{}", await DetailsAsync(b));

        using (var client = etcd.Client())
        {
            await client.PutAsync($"{prefix}/DependencyHealth/Dependencies/shared-db", EtcdTestKit.TcpDependency(listener.Port, critical: true));
        }

        var key = $"\"shared-db:127.0.0.1:{listener.Port}\"";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(
            Eventually.ValueAsync(() => DetailsAsync(a), d => d.Contains(key, StringComparison.Ordinal) && d.Contains("\"healthy\":true", StringComparison.Ordinal), "the first instance monitors it", TimeSpan.FromSeconds(3)),
            Eventually.ValueAsync(() => DetailsAsync(b), d => d.Contains(key, StringComparison.Ordinal) && d.Contains("\"healthy\":true", StringComparison.Ordinal), "the second instance monitors it", TimeSpan.FromSeconds(3)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3));

        var acceptsBefore = listener.Accepts;
        await etcd.KillAsync();
        await Eventually.TrueAsync(() => listener.Accepts >= acceptsBefore + 6, "both instances keep checking with etcd gone", TimeSpan.FromSeconds(10));

        foreach (var client in new[] { a, b })
        {
            Assert.Contains(key, await DetailsAsync(client), StringComparison.Ordinal);
            using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
    }

    [Fact]
    public async Task Endpoint_added_through_one_instances_admin_api_is_in_the_others_metrics_within_3_seconds()
    {
        var prefix = EtcdTestKit.NewPrefix();
        await using var listener = new SilentListener();
        await using var first = new SampleInstance(EtcdTestKit.SharedUrl, prefix, store: "etcd");
        await using var second = new SampleInstance(EtcdTestKit.SharedUrl, prefix, store: "etcd");
        using var a = first.CreateClient();
        using var b = second.CreateClient();
        a.DefaultRequestHeaders.Add("X-Api-Key", SampleInstance.ApiKey);
        Assert.Equal("{}", await DetailsAsync(a));
        Assert.Equal("{}", await DetailsAsync(b));

        // The first scrape compiles the exposition: its JIT is no part of the time to propagate.
        Assert.DoesNotContain("dependency=\"storage-node\"", await b.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var added = await a.PostAsync(
            new Uri("/admin/endpoints", UriKind.Relative),
            new StringContent($"{{\"dependency\":\"storage-node\",\"type\":\"tcp\",\"host\":\"127.0.0.1\",\"port\":{listener.Port},\"critical\":false}}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);

        var series = $"app_dependency_health{{name=\"dephealth-sample\",group=\"samples\",dependency=\"storage-node\",type=\"tcp\",host=\"127.0.0.1\",port=\"{listener.Port}\",critical=\"no\"}} 1";
        await Eventually.ValueAsync(() => b.GetStringAsync(new Uri("/metrics", UriKind.Relative)), m => m.Contains(series, StringComparison.Ordinal), "the second instance exports the endpoint", TimeSpan.FromSeconds(3));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }
}

[CollectionDefinition(nameof(SampleTwoInstancesTests), DisableParallelization = true)]
public sealed class SampleTwoInstancesRunsAlone;
