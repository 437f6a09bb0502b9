using System.Net;
using System.Text;

namespace DepHealth.AspNetCore.Tests.Registry;

/// <summary>AllowedHosts/DeniedHosts keep the runtime registry from being used to probe arbitrary networks.</summary>
[Trait("Category", "unit")]
public sealed class HostPolicyTests
{
    private static async Task<Exception?> AddAsync(SchedulerHarness harness, string host) =>
        await Record.ExceptionAsync(() => harness.Registry.AddAsync(SchedulerHarness.Spec("dyn", host)));

    private static async Task<Exception?> AddOverrideAsync(SchedulerHarness harness, string type, string key, string value) =>
        await Record.ExceptionAsync(() => harness.Registry.AddAsync(SchedulerHarness.Spec("dyn", "api.svc", type: type) with
        {
            Options = new Dictionary<string, string> { [key] = value },
        }));

    [Theory]
    [InlineData("db.svc.cluster.local", true)]
    [InlineData("a.b.svc.cluster.local", true)]
    [InlineData("svc.cluster.local", false)]
    [InlineData("evil.example.com", false)]
    [InlineData("10.20.3.4", true)]
    [InlineData("10.21.0.1", false)]
    [InlineData("fd00::5", true)]
    [InlineData("metadata.internal", true)]
    public async Task Allowed_hosts_admit_only_matching_names_and_addresses(string host, bool allowed)
    {
        await using var harness = new SchedulerHarness(o =>
        {
            o.Registry.AllowedHosts.Add("*.svc.cluster.local");
            o.Registry.AllowedHosts.Add("10.20.0.0/16");
            o.Registry.AllowedHosts.Add("fd00::/8");
            o.Registry.AllowedHosts.Add("metadata.internal");
        });

        var error = await AddAsync(harness, host);

        if (allowed)
        {
            Assert.Null(error);
        }
        else
        {
            var invalid = Assert.IsType<EndpointValidationException>(error);
            Assert.Equal("Host", Assert.Single(invalid.Errors).Field);
            Assert.Contains("AllowedHosts", invalid.Errors[0].Message, StringComparison.Ordinal);
            Assert.Empty(harness.Registry.GetAll());
        }
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task Denied_hosts_win_over_allowed_hosts(string host)
    {
        await using var harness = new SchedulerHarness(o =>
        {
            o.Registry.AllowedHosts.Add("*");
            o.Registry.DeniedHosts.Add("169.254.0.0/16");
            o.Registry.DeniedHosts.Add("127.0.0.0/8");
            o.Registry.DeniedHosts.Add("::1");
        });

        var invalid = Assert.IsType<EndpointValidationException>(await AddAsync(harness, host));

        Assert.Contains("DeniedHosts", Assert.Single(invalid.Errors).Message, StringComparison.Ordinal);
    }

    /// <summary>Every form in which a host names the local machine: IP literal spellings, aliases, unspecified addresses, localhost names.</summary>
    public static TheoryData<string> LocalMachineForms => new()
    {
        "0.0.0.0", "0", "0x0", "0000.0.0.0", "::", "::0", "0:0:0:0:0:0:0:0", "::ffff:0.0.0.0",
        "127.0.0.1", "0177.0.0.1", "2130706433", "0x7F000001", "127.1", "0x7f.1", "127.0.0.1.", "0x7f.1.",
        "::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1", "::ffff:7f00:1", "::127.0.0.1", "64:ff9b::127.0.0.1",
        "localhost", "localhost.", "LocalHost", "app.localhost", "APP.LOCALHOST.",
    };

    [Theory]
    [MemberData(nameof(LocalMachineForms))]
    public async Task Every_form_of_the_local_machine_is_denied_by_loopback_rules(string host)
    {
        await using var harness = new SchedulerHarness(o =>
        {
            o.Registry.DeniedHosts.Add("127.0.0.0/8");
            o.Registry.DeniedHosts.Add("::1");
        });

        var invalid = Assert.IsType<EndpointValidationException>(await AddAsync(harness, host));

        Assert.Contains(invalid.Errors, e => e.Field == "Host" && e.Message.Contains("DependencyHealth:Registry:DeniedHosts", StringComparison.Ordinal));
        Assert.Empty(harness.Registry.GetAll());
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("2852039166")]
    [InlineData("0xa9fea9fe")]
    [InlineData("169.254.43518")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::169.254.169.254")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("fe80::1%1")]
    [InlineData("FE80:0:0:0:0:0:0:1%1")]
    public async Task Every_form_of_a_link_local_address_is_denied_by_link_local_rules(string host)
    {
        await using var harness = new SchedulerHarness(o =>
        {
            o.Registry.DeniedHosts.Add("169.254.0.0/16");
            o.Registry.DeniedHosts.Add("fe80::/10");
        });

        var invalid = Assert.IsType<EndpointValidationException>(await AddAsync(harness, host));

        Assert.Contains("DependencyHealth:Registry:DeniedHosts", Assert.Single(invalid.Errors).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("db.internal.")]
    [InlineData("DB.INTERNAL..")]
    [InlineData("X.Corp.Example.")]
    public async Task Denied_names_match_in_any_case_and_with_trailing_dots(string host)
    {
        await using var harness = new SchedulerHarness(o =>
        {
            o.Registry.DeniedHosts.Add("db.internal");
            o.Registry.DeniedHosts.Add("*.corp.example");
        });

        var invalid = Assert.IsType<EndpointValidationException>(await AddAsync(harness, host));

        Assert.Contains("DependencyHealth:Registry:DeniedHosts", Assert.Single(invalid.Errors).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DB.SVC.")]
    [InlineData("a.B.Svc.")]
    public async Task Allowed_names_match_in_any_case_and_with_a_trailing_dot(string host)
    {
        await using var harness = new SchedulerHarness(o =>
        {
            o.Registry.AllowedHosts.Add("db.svc");
            o.Registry.AllowedHosts.Add("*.b.svc");
        });

        Assert.Null(await AddAsync(harness, host));
    }

    [Theory]
    [InlineData("LOCALHOST.", "localhost")]
    [InlineData("*.Corp.Example.", "db.corp.example")]
    [InlineData("::ffff:127.0.0.0/104", "127.0.0.5")]
    [InlineData("::ffff:10.1.2.3", "10.1.2.3")]
    public async Task Rules_are_normalised_like_hosts(string rule, string host)
    {
        await using var harness = new SchedulerHarness(o => o.Registry.DeniedHosts.Add(rule));

        var invalid = Assert.IsType<EndpointValidationException>(await AddAsync(harness, host));

        Assert.Contains($"('{rule}')", Assert.Single(invalid.Errors).Message, StringComparison.Ordinal);
    }

    /// <summary>Options that name the host a request claims to be for, with values naming the local machine.</summary>
    public static TheoryData<string, string, string> LocalMachineOverrides => new()
    {
        { "http", "HostHeader", "localhost" },
        { "http", "HostHeader", "LOCALHOST.:8080" },
        { "http", "HostHeader", "127.1" },
        { "http", "HostHeader", "0x7f.1:80" },
        { "http", "HostHeader", "[::1]:8080" },
        { "http", "HostHeader", "0.0.0.0:80" },
        { "grpc", "GrpcAuthority", "localhost:50051" },
        { "grpc", "GrpcAuthority", "[::ffff:127.0.0.1]:443" },
        { "grpc", "GrpcAuthority", "2130706433" },
        { "grpc", "GrpcAuthority", "[::]" },
    };

    [Theory]
    [MemberData(nameof(LocalMachineOverrides))]
    public async Task Host_override_naming_a_denied_host_is_refused_naming_the_option(string type, string key, string value)
    {
        await using var harness = new SchedulerHarness(o =>
        {
            o.Registry.DeniedHosts.Add("127.0.0.0/8");
            o.Registry.DeniedHosts.Add("::1");
        });

        var invalid = Assert.IsType<EndpointValidationException>(await AddOverrideAsync(harness, type, key, value));

        var error = Assert.Single(invalid.Errors);
        Assert.Equal(key, error.Field);
        Assert.Contains("DependencyHealth:Registry:DeniedHosts", error.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Registry.GetAll());
    }

    [Theory]
    [InlineData("http", "HostHeader", "evil.example:8080")]
    [InlineData("grpc", "GrpcAuthority", "evil.example")]
    public async Task Host_override_outside_allowed_hosts_is_refused_naming_the_option(string type, string key, string value)
    {
        await using var harness = new SchedulerHarness(o => o.Registry.AllowedHosts.Add("*.svc"));

        var invalid = Assert.IsType<EndpointValidationException>(await AddOverrideAsync(harness, type, key, value));

        var error = Assert.Single(invalid.Errors);
        Assert.Equal(key, error.Field);
        Assert.Contains("does not match DependencyHealth:Registry:AllowedHosts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_rules_do_not_apply_to_configured_endpoints()
    {
        await using var harness = new SchedulerHarness(
            o => o.Registry.DeniedHosts.Add("*"),
            b => b.AddTcp("configured", "127.0.0.1", 1, critical: false));

        await harness.StartAsync();

        Assert.Single(harness.Registry.GetAll());
        Assert.IsType<EndpointValidationException>(await AddAsync(harness, "127.0.0.1"));
    }

    [Fact]
    public async Task Invalid_host_rule_is_a_configuration_error_naming_its_key()
    {
        await using var harness = new SchedulerHarness(o => o.Registry.AllowedHosts.Add("10.0.0.0/40"));

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => _ = harness.Registry);

        Assert.Contains("DependencyHealth:Registry:AllowedHosts:0: '10.0.0.0/40' must be", string.Join("\n", error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registry_api_answers_429_beyond_the_mutation_rate()
    {
        await using var app = await TestWebApp.StartAsync(o => o.Registry.MutationsPerSecond = 3, time: new TimerTrackingTimeProvider());
        var statuses = new List<HttpStatusCode>();
        var elapsed = System.Diagnostics.Stopwatch.StartNew();

        // The bucket holds 3 and refills with 3 every second of real time; a refill can fall between any two posts
        // (after the third, six posts would all pass), so post until one is refused: at 3 a second that takes seconds.
        for (var i = 0; i < 30 && !statuses.Contains(HttpStatusCode.TooManyRequests); i++)
        {
            using var response = await app.Client.PostAsync(
                new Uri("/admin/endpoints", UriKind.Relative),
                new StringContent($$"""{"dependency":"d{{i}}","type":"tcp","host":"h","port":1,"critical":false}""", Encoding.UTF8, "application/json"));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter is not null, "429 carries Retry-After");
            }
        }

        elapsed.Stop();

        // The full bucket's three pass, and no more than the refills during the burst (a second apart, give or take
        // the timer's jitter) let through; every post before the refusal was created.
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.All(statuses[..^1], s => Assert.Equal(HttpStatusCode.Created, s));
        var refills = 1 + (int)(elapsed.Elapsed.TotalSeconds / 0.9);
        Assert.InRange(statuses.Count - 1, 3, 3 * (1 + refills));
        Assert.Equal(statuses.Count - 1, app.Registry.GetAll().Count);
    }

    [Fact]
    public async Task Reads_are_not_rate_limited()
    {
        await using var app = await TestWebApp.StartAsync(o => o.Registry.MutationsPerSecond = 1, time: new TimerTrackingTimeProvider());

        for (var i = 0; i < 10; i++)
        {
            var (status, _) = await app.GetAsync("/admin/endpoints");
            Assert.Equal(200, status);
        }
    }
}
