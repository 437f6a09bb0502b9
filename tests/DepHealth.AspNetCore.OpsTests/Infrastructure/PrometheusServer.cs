using System.Globalization;
using System.Text.Json;

namespace DepHealth.AspNetCore.OpsTests.Infrastructure;

/// <summary>
/// A real Prometheus server (Debian's <c>prometheus</c>) on 127.0.0.1 with a temporary TSDB, scraping one target every
/// second and evaluating the sample alert rules.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly BackgroundProcess _process;
    private readonly string _directory;

    private PrometheusServer(BackgroundProcess process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public HttpClient Client { get; }

    public string Output => _process.Output;

    public static Task<PrometheusServer> StartAsync(string job, string target, IEnumerable<string> ruleFiles) =>
        StartAsync([new ScrapeJob(job, target)], ruleFiles);

    public static async Task<PrometheusServer> StartAsync(IEnumerable<ScrapeJob> jobs, IEnumerable<string> ruleFiles)
    {
        var prometheus = Tools.Prometheus();
        var supportsProtocols = await SupportsScrapeProtocolsAsync(prometheus);
        var directory = Directory.CreateTempSubdirectory("dephealth-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        var rules = string.Join('\n', ruleFiles.Select(f => $"  - {JsonSerializer.Serialize(f)}"));
        var scrapeConfigs = string.Join('\n', jobs.Select(j => j.ToYaml(supportsProtocols)));
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
            {rules}
            scrape_configs:
            {scrapeConfigs}
            """);
        var port = LocalPorts.Unused();
        var process = new BackgroundProcess(prometheus, [
            $"--config.file={config}",
            $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
        ], directory);
        var server = new PrometheusServer(process, directory, port);
        try
        {
            await Eventually.ValueAsync(
                async () =>
                {
                    Assert.False(process.HasExited, $"prometheus exited:\n{process.Output}");
                    using var response = await server.Client.GetAsync(new Uri("-/ready", UriKind.Relative));
                    return (int)response.StatusCode;
                },
                status => status == 200,
                "prometheus is ready");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>
    /// Whether this Prometheus reads <c>scrape_protocols</c> (2.49 and later): older ones reject the field, and always send
    /// their own Accept header, which prefers OpenMetrics.
    /// </summary>
    private static async Task<bool> SupportsScrapeProtocolsAsync(string prometheus)
    {
        var result = await ProcessRunner.RunAsync(prometheus, ["--version"]);
        var version = System.Text.RegularExpressions.Regex.Match(result.Output, @"version (\d+)\.(\d+)");
        Assert.True(version.Success, $"prometheus --version: {result}");
        var (major, minor) = (int.Parse(version.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(version.Groups[2].Value, CultureInfo.InvariantCulture));
        return major > 2 || (major == 2 && minor >= 49);
    }

    /// <summary>An instant query through the HTTP API; returns the whole response document (status, data or error).</summary>
    public async Task<JsonElement> QueryAsync(string promql)
    {
        using var content = new FormUrlEncodedContent([new KeyValuePair<string, string>("query", promql)]);
        using var response = await Client.PostAsync(new Uri("api/v1/query", UriKind.Relative), content);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var doc = JsonDocument.Parse(await Client.GetStringAsync(new Uri(path, UriKind.Relative)));
        return doc.RootElement.Clone();
    }

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }
}
