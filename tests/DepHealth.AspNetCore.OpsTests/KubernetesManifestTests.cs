using System.Globalization;
using DepHealth.AspNetCore.OpsTests.Infrastructure;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace DepHealth.AspNetCore.OpsTests;

/// <summary>samples/kubernetes: well-formed manifests whose probes and scrape annotations point at the right places.</summary>
[Trait("Category", "integration")]
public sealed class KubernetesManifestTests
{
    private static YamlMappingNode[] Documents()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Repo.PathOf("samples", "kubernetes", "deployment.yaml"));
        yaml.Load(reader);
        return [.. yaml.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static string Scalar(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            node = ((YamlMappingNode)node)[key];
        }

        return ((YamlScalarNode)node).Value!;
    }

    private static YamlMappingNode Of(string kind) => Assert.Single(Documents(), d => Scalar(d, "kind") == kind);

    private static YamlMappingNode Container() =>
        (YamlMappingNode)((YamlSequenceNode)Of("Deployment")["spec"]["template"]["spec"]["containers"]).Single();

    [Fact]
    public void Every_document_has_api_version_kind_and_name()
    {
        var documents = Documents();

        Assert.Equal(["Deployment", "Service"], documents.Select(d => Scalar(d, "kind")).Order(StringComparer.Ordinal));
        Assert.All(documents, d =>
        {
            Assert.False(string.IsNullOrEmpty(Scalar(d, "apiVersion")));
            Assert.False(string.IsNullOrEmpty(Scalar(d, "metadata", "name")));
        });
    }

    private static YamlMappingNode Port(string name) =>
        Assert.Single(((YamlSequenceNode)Container()["ports"]).Cast<YamlMappingNode>(), p => Scalar(p, "name") == name);

    [Fact]
    public void Startup_probe_is_http_on_startup()
    {
        Assert.Equal("/health/startup", Scalar(Container(), "startupProbe", "httpGet", "path"));
    }

    [Fact]
    public void Readiness_and_liveness_are_grpc_probes_of_the_readiness_and_liveness_services()
    {
        var container = Container();

        Assert.Equal(
            ["readiness", "liveness"],
            new[] { "readinessProbe", "livenessProbe" }.Select(probe => Scalar(container, probe, "grpc", "service")));
    }

    [Fact]
    public void Grpc_probes_use_the_http2_only_kestrel_endpoint()
    {
        var container = Container();
        var environment = ((YamlSequenceNode)container["env"]).Cast<YamlMappingNode>().ToDictionary(e => Scalar(e, "name"), e => Scalar(e, "value"));
        var grpcPort = Scalar(Port("grpc-probes"), "containerPort");

        Assert.Equal("Http2", environment["Kestrel__Endpoints__grpc__Protocols"]);
        Assert.EndsWith(":" + grpcPort, environment["Kestrel__Endpoints__grpc__Url"], StringComparison.Ordinal);
        Assert.EndsWith(":" + Scalar(Port("http"), "containerPort"), environment["Kestrel__Endpoints__http__Url"], StringComparison.Ordinal);

        // A gRPC probe's port is a number: Kubernetes takes no port name there.
        Assert.All(new[] { "readinessProbe", "livenessProbe" }, probe => Assert.Equal(grpcPort, Scalar(container, probe, "grpc", "port")));
    }

    [Fact]
    public void Startup_probe_allows_the_first_checks_of_the_default_settings()
    {
        var probe = (YamlMappingNode)Container()["startupProbe"];
        var budget = TimeSpan.FromSeconds(int.Parse(Scalar(probe, "periodSeconds"), CultureInfo.InvariantCulture) * int.Parse(Scalar(probe, "failureThreshold"), CultureInfo.InvariantCulture));

        // Initial delay (5 s), the first-check spread (at most 1 s) and a timed-out first check (5 s).
        Assert.True(budget >= TimeSpan.FromSeconds(11), $"the startupProbe allows {budget}");
    }

    [Fact]
    public void Startup_probe_service_and_scrape_annotations_use_the_http_port()
    {
        var deployment = Of("Deployment");
        var container = Container();
        var port = Port("http");
        var annotations = (YamlMappingNode)deployment["spec"]["template"]["metadata"]["annotations"];

        Assert.Equal(Scalar(port, "name"), Scalar(container, "startupProbe", "httpGet", "port"));
        Assert.Equal("true", Scalar(annotations, "prometheus.io/scrape"));
        Assert.Equal(Scalar(port, "containerPort"), Scalar(annotations, "prometheus.io/port"));
        Assert.Equal("/metrics", Scalar(annotations, "prometheus.io/path"));
        Assert.Equal(Scalar(port, "name"), Scalar((YamlMappingNode)((YamlSequenceNode)Of("Service")["spec"]["ports"]).Single(), "targetPort"));
        Assert.Equal(Scalar(deployment, "spec", "selector", "matchLabels", "app.kubernetes.io/name"), Scalar(Of("Service"), "spec", "selector", "app.kubernetes.io/name"));
    }

    [Fact]
    public async Task Scrape_config_passes_promtool_with_its_discovery_replaced_by_a_static_target()
    {
        // Debian's Prometheus is built without Kubernetes discovery, so the job's kubernetes_sd_configs is swapped for a
        // static target; everything else (relabelling regexes, rule files) is checked as written.
        var deserializer = new DeserializerBuilder().Build();
        var config = deserializer.Deserialize<Dictionary<string, object>>(await File.ReadAllTextAsync(Repo.PathOf("samples", "kubernetes", "prometheus-scrape.yml")));
        var job = (Dictionary<object, object>)((List<object>)config["scrape_configs"]).Single();
        Assert.True(job.Remove("kubernetes_sd_configs"), "the job discovers pods through kubernetes_sd_configs");
        job["static_configs"] = new List<object> { new Dictionary<string, object> { ["targets"] = new List<object> { "127.0.0.1:8080" } } };
        config["rule_files"] = ((List<object>)config["rule_files"])
            .Select(f => (object)Path.GetFullPath(Path.Combine(Repo.PathOf("samples", "kubernetes"), (string)f))).ToList();
        var directory = Directory.CreateTempSubdirectory("dephealth-scrape-").FullName;
        try
        {
            var file = Path.Combine(directory, "prometheus.yml");
            await File.WriteAllTextAsync(file, new SerializerBuilder().Build().Serialize(config));

            var result = await ProcessRunner.RunAsync(Tools.Promtool(), ["check", "config", file]);

            Assert.True(result.ExitCode == 0, result.ToString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
