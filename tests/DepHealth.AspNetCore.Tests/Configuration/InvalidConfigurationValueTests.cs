using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Tests.Configuration;

/// <summary>
/// Every bad configuration value fails startup with an <see cref="OptionsValidationException"/> naming the key and the
/// rule, never with another exception and never repeating the value (it may be a secret).
/// </summary>
[Trait("Category", "unit")]
public sealed class InvalidConfigurationValueTests
{
    private const string Secret = "s3cr3t";
    private const string Dep = "DependencyHealth:Dependencies:api";

    public static TheoryData<string, string, string, string, string> Cases => new()
    {
        // type, URL, key (under the dependency), value, a piece of the rule
        { "http", "http://api.svc/", "Method", $"G E T{Secret}", "upper-case HTTP method" },
        { "http", "http://api.svc/", "BearerToken", $"{Secret}\r\nX-Injected: 1", "printable ASCII" },
        { "http", "http://api.svc/", "BearerToken", $"{Secret}\0", "printable ASCII" },
        { "http", "http://api.svc/", "Headers:Authorization", $"B@d {Secret}", "'<scheme> <credentials>'" },
        { "http", "http://api.svc/", "Headers:X-Token", $"{Secret}\0", "header value must be printable ASCII" },
        { "http", "http://api.svc/", "HealthPath", $"/{Secret}\0", "control characters" },
        { "http", "http://api.svc/", "HealtPath", $"/{Secret}", "'HealtPath' is not an option of type http" },
        { "http", "http://api.svc/", "TlsSkipVerify", Secret, "cannot be converted to Boolean" },
        { "http", "http://api.svc/", "Port", Secret, "cannot be converted to Int32" },
        { "http", "http://api.svc/", "ServiceName", Secret, "is not an option of type http" },
        { "grpc", "grpc://api.svc:50051", "BearerToken", $"{Secret}\r\n", "printable ASCII" },
        { "grpc", "grpc://api.svc:50051", "HealthPath", "/x", "is not an option of type grpc" },
        { "redis", "redis://api.svc:6379", "HealthPath", "/x", "is not an option of type redis" },
        { "kafka", "kafka://api.svc:9092", "Query", "SELECT 1", "is not an option of type kafka" },
        { "tcp", "tcp://api.svc:7000", "BearerToken", Secret, "is not an option of type tcp" },
        { "http", "http://api.svc/", "Labels:role", new string('r', 257), "at most 256 characters" },
    };

    private static string FailureOf(params (string Key, string Value)[] entries)
    {
        var values = new Dictionary<string, string?> { ["DependencyHealth:Name"] = "app", ["DependencyHealth:Group"] = "team" };
        foreach (var (key, value) in entries)
        {
            values[key] = value;
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDependencyHealth(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DependencyHealthOptions>>().Value);
        return string.Join("\n", error.Failures);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_value_fails_startup_naming_the_key_and_rule_without_the_value(string type, string url, string key, string value, string rule)
    {
        var failure = FailureOf(($"{Dep}:Type", type), ($"{Dep}:Url", url), ($"{Dep}:Critical", "true"), ($"{Dep}:{key}", value));

        Assert.Contains($"{Dep}:{key}: ", failure, StringComparison.Ordinal);
        Assert.Contains(rule, failure, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_32_labels_fail_startup_naming_the_labels_key()
    {
        var entries = new List<(string, string)> { ($"{Dep}:Url", "http://api.svc/"), ($"{Dep}:Critical", "true") };
        entries.AddRange(Enumerable.Range(0, 33).Select(i => ($"{Dep}:Labels:l{i}", "v")));

        var failure = FailureOf([.. entries]);

        Assert.Contains($"{Dep}:Labels: at most 32 custom labels per endpoint (33 given)", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_32_headers_fail_startup_naming_the_options()
    {
        var entries = new List<(string, string)> { ($"{Dep}:Url", "http://api.svc/"), ($"{Dep}:Critical", "true") };
        entries.AddRange(Enumerable.Range(0, 33).Select(i => ($"{Dep}:Headers:X-H{i}", "v")));

        var failure = FailureOf([.. entries]);

        Assert.Contains("at most 32 Headers:<name> and Metadata:<key> entries per endpoint (33 given)", failure, StringComparison.Ordinal);
    }
}
