using DepHealth.AspNetCore.Etcd.Client;
using Microsoft.Extensions.Configuration;

namespace DepHealth.AspNetCore.Etcd.Tests.Infrastructure;

/// <summary>Shared helpers: the etcd started by build/deps.sh, unique prefixes, and apps configured from etcd.</summary>
public static class EtcdTestKit
{
    /// <summary>The etcd build/deps.sh started (DEPHEALTH_TEST_ETCD_URL); tests that use it fail clearly without it.</summary>
    public static Uri SharedUrl
    {
        get
        {
            var url = Environment.GetEnvironmentVariable("DEPHEALTH_TEST_ETCD_URL");
            Assert.False(string.IsNullOrEmpty(url), "DEPHEALTH_TEST_ETCD_URL is not set: run 'bash build/deps.sh start etcd' and 'source build/.deps.env' (build/test.sh does both).");
            return new Uri(url!);
        }
    }

    /// <summary>A logger factory that writes to <paramref name="logs"/>.</summary>
    public static Microsoft.Extensions.Logging.ILoggerFactory LoggingTo(FakeLoggerProvider logs)
    {
        var factory = new Microsoft.Extensions.Logging.LoggerFactory();
        factory.AddProvider(logs);
        return factory;
    }

    public static string NewPrefix() => $"/dephealth-test/{Guid.NewGuid():N}";

    internal static EtcdClient EtcdClientFor(Uri url) => new(new EtcdClientSettings { Endpoints = [url] });

    /// <summary>Fast reloads for tests: debounce 300 ms, minimum interval 500 ms.</summary>
    public static ConfigurationRoot EtcdConfiguration(Uri url, string prefix, Action<EtcdConfigurationOptions>? configure = null) =>
        (ConfigurationRoot)new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["DependencyHealth:Reload:Debounce"] = "00:00:00.3",
                ["DependencyHealth:Reload:MinInterval"] = "00:00:00.5",
            })
            .AddEtcd(options =>
            {
                options.Endpoints = url.ToString();
                options.Prefix = prefix;
                options.ReconnectDelay = TimeSpan.FromMilliseconds(200);
                options.MaxReconnectDelay = TimeSpan.FromSeconds(1);
                configure?.Invoke(options);
            })
            .Build();

    internal static EtcdConfigurationProvider Provider(IConfigurationRoot configuration) =>
        configuration.Providers.OfType<EtcdConfigurationProvider>().Single();

    /// <summary>The value of a tcp dependency on 127.0.0.1, as one JSON value under its key.</summary>
    public static string TcpDependency(int port, bool critical = false) =>
        $"{{\"Type\":\"tcp\",\"Host\":\"127.0.0.1\",\"Port\":{port},\"Critical\":{(critical ? "true" : "false")}}}";

    public static Task<TestWebApp> StartAppAsync(IConfiguration configuration) =>
        TestWebApp.StartAsync(configuration: configuration);

    public static async Task<string> DetailsAsync(TestWebApp app) => (await app.GetAsync("/health/details")).Body;

    public static async Task<string> MetricsAsync(TestWebApp app) => (await app.GetAsync("/metrics")).Body;
}
