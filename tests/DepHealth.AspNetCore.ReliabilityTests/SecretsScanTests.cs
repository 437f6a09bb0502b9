using System.Net;
using System.Text;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.ReliabilityTests;

/// <summary>
/// Passwords, tokens and URL credentials given in every form (URL userinfo, options, headers, environment, the registry
/// API) never appear in /metrics, /health/details, probe bodies, registry API responses, logs at any level, or exception
/// messages — after exercising every checker type with bad and good credentials against the real servers.
/// </summary>
[Trait("Category", "integration")]
public sealed class SecretsScanTests
{
    private static string Env(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run 'bash build/deps.sh start' and 'source build/.deps.env'.");

    private static string WithPassword(string url, string password)
    {
        var uri = new Uri(url);
        var user = uri.UserInfo.Split(':')[0];
        return $"{uri.Scheme}://{user}:{Uri.EscapeDataString(password)}@{uri.Authority}{uri.PathAndQuery}";
    }

    [Fact]
    public async Task No_secret_given_in_any_form_appears_in_any_output()
    {
        var good = new[]
        {
            new Uri(Env("DEPHEALTH_TEST_POSTGRES_URL")).UserInfo.Split(':')[1],
            new Uri(Env("DEPHEALTH_TEST_MYSQL_URL")).UserInfo.Split(':')[1],
            new Uri(Env("DEPHEALTH_TEST_REDIS_URL")).UserInfo.Split(':')[1],
            new Uri(Env("DEPHEALTH_TEST_REDIS_ACL_URL")).UserInfo.Split(':')[1],
            new Uri(Env("DEPHEALTH_TEST_AMQP_URL")).UserInfo.Split(':')[1],
            Env("DEPHEALTH_TEST_LDAP_BIND_PASSWORD"),
        };
        var bad = new Dictionary<string, string>
        {
            ["postgres"] = "pg-wrong-S3CRET-a1",
            ["mysql"] = "my-wrong-S3CRET-b2",
            ["redis"] = "redis-wrong-S3CRET-c3",
            ["amqp"] = "amqp-wrong-S3CRET-d4",
            ["ldap"] = "ldap-wrong-S3CRET-e5",
            ["http-bearer"] = "http-tok-S3CRET-f6",
            ["http-basic"] = "http-basic-S3CRET-g7",
            ["http-header"] = "http-header-S3CRET-h8",
            ["grpc-bearer"] = "grpc-tok-S3CRET-i9",
            ["grpc-basic"] = "grpc-basic-S3CRET-j0",
            ["env-url"] = "env-url-S3CRET-k1",
            ["env-token"] = "env-tok-S3CRET-l2",
            ["api-token"] = "api-tok-S3CRET-m3",
            ["api-url"] = "api-url-S3CRET-n4",
            ["api-invalid"] = "api-invalid-S3CRET-o5",
            ["kafka"] = "kafka-S3CRET-p6",
            ["config-invalid"] = "config-invalid-S3CRET-q7",
        };
        await using var web = await LocalHttpServer.StartAsync();
        var etcd = new Uri(Env("DEPHEALTH_TEST_ETCD_URL"));
        Environment.SetEnvironmentVariable("DEPHEALTH_SCAN_ENV_URL", $"http://probe:{bad["env-url"]}@127.0.0.1:{web.HttpPort}/status/401");
        Environment.SetEnvironmentVariable("DEPHEALTH_SCAN_ENV_CRITICAL", "no");
        Environment.SetEnvironmentVariable("DEPHEALTH_SCAN_ENV_BEARER_TOKEN", null);

        var outputs = new List<string>();
        await using (var app = await TestWebApp.StartAsync(
            o => o.Registry.MutationsPerSecond = 0,
            b => b
                .AddNpgsqlChecks().AddMySqlChecks().AddRabbitMQChecks().AddLdapChecks()
                .AddPostgres("pg-good", Env("DEPHEALTH_TEST_POSTGRES_URL"), critical: false)
                .AddPostgres("pg-bad", WithPassword(Env("DEPHEALTH_TEST_POSTGRES_URL"), bad["postgres"]), critical: false)
                .AddMySql("my-good", Env("DEPHEALTH_TEST_MYSQL_URL"), critical: false)
                .AddMySql("my-bad", WithPassword(Env("DEPHEALTH_TEST_MYSQL_URL"), bad["mysql"]), critical: false)
                .AddRedis("redis-good", Env("DEPHEALTH_TEST_REDIS_URL"), critical: false)
                .AddRedis("redis-acl", Env("DEPHEALTH_TEST_REDIS_ACL_URL"), critical: false)
                .AddRedis("redis-bad", WithPassword(Env("DEPHEALTH_TEST_REDIS_URL"), bad["redis"]), critical: false)
                .AddRabbitMQ("amqp-good", Env("DEPHEALTH_TEST_AMQP_URL"), critical: false)
                .AddRabbitMQ("amqp-bad", WithPassword(Env("DEPHEALTH_TEST_AMQP_URL"), bad["amqp"]), critical: false)
                .AddLdap("ldap-good", Env("DEPHEALTH_TEST_LDAP_URL"), critical: false, d =>
                {
                    d.Options["CheckMethod"] = "simple_bind";
                    d.Options["BindDN"] = Env("DEPHEALTH_TEST_LDAP_BIND_DN");
                    d.Options["BindPassword"] = Env("DEPHEALTH_TEST_LDAP_BIND_PASSWORD");
                })
                .AddLdap("ldap-bad", Env("DEPHEALTH_TEST_LDAP_URL"), critical: false, d =>
                {
                    d.Options["CheckMethod"] = "simple_bind";
                    d.Options["BindDN"] = Env("DEPHEALTH_TEST_LDAP_BIND_DN");
                    d.Options["BindPassword"] = bad["ldap"];
                })
                .AddHttp("http-bearer", $"http://127.0.0.1:{web.HttpPort}/status/401", critical: false, d => d.BearerToken = bad["http-bearer"])
                .AddHttp("http-basic", $"http://user:{bad["http-basic"]}@127.0.0.1:{web.HttpPort}/status/403", critical: false)
                .AddHttp("http-header", $"http://127.0.0.1:{web.HttpPort}/status/500", critical: false, d => d.Headers["Authorization"] = $"Token {bad["http-header"]}")
                .AddGrpc("grpc-bearer", $"grpc://{etcd.Host}:{etcd.Port}", critical: false, d => d.BearerToken = bad["grpc-bearer"])
                .AddGrpc("grpc-basic", $"http://user:{bad["grpc-basic"]}@{etcd.Host}:{etcd.Port}", critical: false)
                .FromEnvironment("SCAN_ENV")))
        {
            // The registry API: secrets in options and in a URL, and in an invalid request.
            await PostAsync(app, outputs, $$$"""{"dependency":"api-added","type":"http","host":"127.0.0.1","port":{{{web.HttpPort}}},"critical":false,"options":{"HealthPath":"/status/401","BearerToken":"{{{bad["api-token"]}}}"}}""");
            await PostAsync(app, outputs, $$$"""{"dependency":"api-url","type":"http","host":"127.0.0.1","port":{{{web.HttpPort}}},"critical":false,"options":{"Url":"http://admin:{{{bad["api-url"]}}}@127.0.0.1:{{{web.HttpPort}}}/health"}}""");
            await PostAsync(app, outputs, $$$"""{"dependency":"api-bad","type":"http","host":"h","port":80,"critical":false,"options":{"BearerToken":"{{{bad["api-invalid"]}}}","BasicUsername":"u","BasicPassword":"{{{bad["api-invalid"]}}}"}}""");
            await PostAsync(app, outputs, $$$"""{"dependency":"kafka-bad","type":"kafka","host":"127.0.0.1","port":9092,"critical":false,"options":{"Url":"kafka://u:{{{bad["kafka"]}}}@127.0.0.1:9092"}}""");
            outputs.Add((await Record.ExceptionAsync(() => app.Registry.AddAsync(new EndpointSpec
            {
                Dependency = "code-bad",
                Type = "http",
                Host = "h",
                Port = 80,
                Critical = false,
                Options = new Dictionary<string, string> { ["BearerToken"] = bad["api-invalid"], ["Headers:Authorization"] = bad["api-invalid"] },
            })))!.ToString());

            var (_, details) = await Eventually.ValueAsync(
                () => app.GetAsync("/health/details?history=true"),
                r => !r.Body.Contains("\"status\":\"unknown\"", StringComparison.Ordinal),
                "every endpoint has a result",
                TimeSpan.FromSeconds(60));
            outputs.Add(details);
            Assert.Contains("\"pg-bad:127.0.0.1:", details, StringComparison.Ordinal);
            foreach (var path in new[] { "/metrics", "/health/ready", "/health/live", "/admin/endpoints" })
            {
                outputs.Add((await app.GetAsync(path)).Body);
            }

            foreach (var endpoint in app.Registry.GetAll())
            {
                outputs.Add((await app.GetAsync($"/admin/endpoints/{endpoint.Spec.Dependency}/{endpoint.Spec.Host}/{endpoint.Spec.Port}")).Body);
            }

            // Bad credentials were really refused, so the failure paths ran.
            foreach (var name in new[] { "pg-bad", "my-bad", "redis-bad", "amqp-bad", "ldap-bad", "http-bearer", "http-basic" })
            {
                Assert.Contains($"\"{name}:", details, StringComparison.Ordinal);
            }

            Assert.Matches("\"pg-bad:[^}]*\"detail\":\"auth_error\"", details);
            Assert.Matches("\"ldap-bad:[^}]*\"detail\":\"auth_error\"", details);
            Assert.Matches("\"pg-good:[^}]*\"detail\":\"ok\"", details);
            outputs.Add(app.Logs.AllText());
        }

        // Configuration validation messages.
        outputs.Add(Assert.Throws<OptionsValidationException>(() =>
        {
            var services = new ServiceCollection().AddLogging();
            services.AddDependencyHealth(o =>
            {
                o.Name = "app";
                o.Group = "team";
                o.Dependencies["x"] = new DependencyOptions { Url = $"smtp://u:{bad["config-invalid"]}@mail:25", Critical = true };
                o.Dependencies["y"] = new DependencyOptions { Url = $"kafka://u:{bad["config-invalid"]}@b:9092", Critical = true };
            });
            using var provider = services.BuildServiceProvider();
            _ = provider.GetRequiredService<IOptions<DependencyHealthOptions>>().Value;
        }).ToString());

        Environment.SetEnvironmentVariable("DEPHEALTH_SCAN_ENV_URL", null);
        Environment.SetEnvironmentVariable("DEPHEALTH_SCAN_ENV_CRITICAL", null);
        var everything = string.Join("\n----\n", outputs);
        var leaked = good.Concat(bad.Values).Where(secret => everything.Contains(secret, StringComparison.Ordinal)).ToList();
        Assert.True(leaked.Count == 0, $"leaked: {string.Join(", ", leaked)}");
        Assert.True(everything.Length > 10_000, "the scan read the outputs");
    }

    private static async Task PostAsync(TestWebApp app, List<string> outputs, string json)
    {
        using var response = await app.Client.PostAsync(new Uri("/admin/endpoints", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
        outputs.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.BadRequest, $"{response.StatusCode}");
    }
}
