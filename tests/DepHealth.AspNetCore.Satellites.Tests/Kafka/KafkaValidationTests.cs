using DepHealth.AspNetCore.Kafka.Checks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Satellites.Tests.Kafka;

/// <summary>The kafka satellite's option rules: each invalid option is reported under its own key, never with a secret.</summary>
[Trait("Category", "unit")]
public sealed class KafkaValidationTests
{
    private const string Secret = "s3cret-kafka-pw";

    public static TheoryData<string, string?> Cases => new()
    {
        { "", null },
        { "Tls=true;TlsSkipVerify=true", null },
        { "SaslMechanism=scram-sha-512;Username=u;Password=p", null },
        { "Url=kafka://u:p@b0:9092;SaslMechanism=PLAIN", null },
        { "SaslMechanism=GSSAPI;Username=u;Password=p", "SaslMechanism" },
        { "SaslMechanism=OAUTHBEARER;Username=u;Password=p", "SaslMechanism" },
        { "Username=u;Password=p", "SaslMechanism" },
        { "SaslMechanism=PLAIN", "SaslMechanism" },
        { "SaslMechanism=PLAIN;Username=u", "Password" },
        { "SaslMechanism=PLAIN;Password=p", "Username" },
        { "Url=kafka://u:p@b0:9092;SaslMechanism=PLAIN;Username=v;Password=q", "Username" },
        { "Url=http://b0:9092", "Url" },
        { "TlsSkipVerify=true", "TlsSkipVerify" },
        { "Tls=yes", "Tls" },
        { "Database=0", "Database" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Factory_ReportsExactlyTheInvalidOption(string options, string? invalidField)
    {
        var pairs = options.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => (p[..p.IndexOf('=', StringComparison.Ordinal)], p[(p.IndexOf('=', StringComparison.Ordinal) + 1)..]))
            .ToArray();
        var errors = new List<EndpointValidationError>();

        new KafkaClientCheckerFactory().Validate(ValidationTests.Spec("kafka", 9092, pairs), errors);

        Assert.Equal(invalidField is null ? [] : [invalidField], errors.Select(e => e.Field).Distinct().ToArray());
    }

    [Fact]
    public void UnknownMechanism_FailsStartup_NamingTheKeyAndTheRule()
    {
        var failure = Assert.Single(StartupFailures(addKafkaChecks: true, ("SaslMechanism", "GSSAPI"), ("Username", "u"), ("Password", Secret)));

        Assert.Equal(
            "DependencyHealth:Dependencies:events:SaslMechanism: is not a supported mechanism: must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (GSSAPI and OAUTHBEARER are not supported)",
            failure);
    }

    [Fact]
    public void Failures_NeverShowThePassword()
    {
        var failures = StartupFailures(addKafkaChecks: true, ("SaslMechanism", "NONE"), ("Password", Secret), ("Url", $"http://u:{Secret}@b0:9092"));

        Assert.NotEmpty(failures);
        Assert.All(failures, f => Assert.DoesNotContain(Secret, f, StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutAddKafkaChecks_TheBuiltInCheck_RefusesSaslPointingToTheDocs()
    {
        var failures = StartupFailures(addKafkaChecks: false, ("SaslMechanism", "PLAIN"), ("Username", "u"), ("Password", Secret));

        Assert.Contains(failures, f => f.StartsWith("DependencyHealth:Dependencies:events:SaslMechanism: ", StringComparison.Ordinal)
            && f.Contains("register a kafka checker factory that speaks TLS and SASL, see docs/dependency-types.md", StringComparison.Ordinal));
    }

    [Fact]
    public void WithAddKafkaChecks_TlsAndSaslFromConfiguration_AreValid()
    {
        var failures = StartupFailures(addKafkaChecks: true, ("Tls", "true"), ("SaslMechanism", "SCRAM-SHA-256"), ("Username", "u"), ("Password", Secret));

        Assert.Empty(failures);
    }

    private static IReadOnlyList<string> StartupFailures(bool addKafkaChecks, params (string Key, string Value)[] options)
    {
        var settings = new Dictionary<string, string?>
        {
            ["DependencyHealth:Name"] = "app",
            ["DependencyHealth:Group"] = "team",
            ["DependencyHealth:Dependencies:events:Url"] = "kafka://b0:9092",
            ["DependencyHealth:Dependencies:events:Critical"] = "true",
        };
        foreach (var (key, value) in options)
        {
            settings[$"DependencyHealth:Dependencies:events:{key}"] = value;
        }

        var services = new ServiceCollection();
        services.AddLogging();
        var builder = services.AddDependencyHealth(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        if (addKafkaChecks)
        {
            builder.AddKafkaChecks();
        }

        using var provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<DependencyHealthOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException exception)
        {
            return [.. exception.Failures];
        }
    }
}
