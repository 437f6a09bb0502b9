using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DepHealth.AspNetCore.ThirdParty.Tests;

[Trait("Category", "unit")]
public sealed class ThirdPartyTypeTests
{
    private static IConfiguration Smtp(params (string Key, string Value)[] options) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DependencyHealth:Dependencies:mail:Type"] = "smtp",
            ["DependencyHealth:Dependencies:mail:Host"] = "mail.svc",
            ["DependencyHealth:Dependencies:mail:Port"] = "25",
            ["DependencyHealth:Dependencies:mail:Critical"] = "true",
        }.Concat(options.Select(o => KeyValuePair.Create($"DependencyHealth:Dependencies:mail:{o.Key}", (string?)o.Value))))
        .Build();

    [Fact]
    public async Task A_type_of_your_own_is_checked_from_configuration_by_its_factory()
    {
        var factory = new SmtpCheckerFactory();
        await using var app = await TestWebApp.StartAsync(
            configuration: Smtp(),
            dependencies: b => b.Services.AddSingleton<IDependencyCheckerFactory>(factory));

        var (status, _) = await Eventually.ValueAsync(() => app.GetAsync("/health/ready"), r => r.Status == 200, "the smtp endpoint was checked");

        Assert.Equal((int)HttpStatusCode.OK, status);
        Assert.Equal("mail.svc", Assert.Single(factory.Checked).Host);
    }

    [Fact]
    public async Task A_configuration_key_beside_the_dependency_options_reaches_your_factory_as_an_option()
    {
        await using var app = await TestWebApp.StartAsync(
            configuration: Smtp((SmtpCheckerFactory.Greeting, "554")),
            dependencies: b => b.AddCheckerFactory<SmtpCheckerFactory>());

        var (status, body) = await Eventually.ValueAsync(() => app.GetAsync("/health/details"), r => r.Body.Contains("\"unhealthy\"", StringComparison.Ordinal), "the smtp endpoint was checked");

        Assert.Equal(200, status);
        Assert.Contains("\"detail\":\"unhealthy\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_type_of_your_own_is_exported_with_its_name_as_the_type_label()
    {
        await using var app = await TestWebApp.StartAsync(
            configuration: Smtp(),
            dependencies: b => b.AddCheckerFactory<SmtpCheckerFactory>());

        var (_, body) = await Eventually.ValueAsync(() => app.GetAsync("/metrics"), r => r.Body.Contains("app_dependency_health{", StringComparison.Ordinal), "the series exists");

        Assert.Contains("type=\"smtp\",host=\"mail.svc\",port=\"25\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public void An_option_your_type_does_not_know_is_refused_naming_the_key()
    {
        var failures = StartupValidation.Failures(b => b.AddCheckerFactory<SmtpCheckerFactory>().AddDependency("mail", d =>
        {
            d.Type = "smtp";
            d.Host = "mail.svc";
            d.Port = 25;
            d.Critical = true;
            d.Query = "SELECT 1";
        }));

        Assert.Contains(failures, f => f.StartsWith("DependencyHealth:Dependencies:mail:Query: 'Query' is not an option of type smtp (known: Url, ConnectionString, Greeting)", StringComparison.Ordinal));
    }

    [Fact]
    public void An_invalid_option_of_your_type_is_refused_with_your_rule()
    {
        var failures = StartupValidation.Failures(b => b.AddCheckerFactory<SmtpCheckerFactory>().AddDependency("mail", d =>
        {
            d.Type = "smtp";
            d.Host = "mail.svc";
            d.Port = 25;
            d.Critical = true;
            d.Options[SmtpCheckerFactory.Greeting] = "hello";
        }));

        Assert.Contains("DependencyHealth:Dependencies:mail:Greeting: must be an SMTP reply code, digits only", failures);
    }

    [Fact]
    public void A_type_nobody_serves_is_refused_naming_the_type()
    {
        var failures = StartupValidation.Failures(b => b.AddDependency("mail", d =>
        {
            d.Type = "smtp";
            d.Host = "mail.svc";
            d.Port = 25;
            d.Critical = true;
        }));

        Assert.Contains(failures, f => f.StartsWith("DependencyHealth:Dependencies:mail:Type: no checker is registered for type 'smtp'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pool_mode_of_your_own_client_labels_the_endpoint_from_the_client_and_checks_through_it()
    {
        var client = new MailClient("relay.svc", 587);
        await using var app = await TestWebApp.StartAsync(dependencies: b => b
            .AddPooledChecker("mail", "smtp", critical: true, sp => (client.Host, client.Port), _ => client));

        await Eventually.TrueAsync(() => client.Calls > 0, "the client was used");

        Assert.Contains(app.Registry.GetAll(), e => e.Spec.Key == new EndpointKey("mail", "relay.svc", 587));
    }

    private sealed class MailClient(string host, int port) : IDependencyChecker
    {
        private int _calls;

        public string Host => host;

        public int Port => port;

        public int Calls => Volatile.Read(ref _calls);

        public ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return ValueTask.FromResult(CheckResult.Healthy);
        }
    }
}
