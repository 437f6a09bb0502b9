using System.Collections.Frozen;

namespace DepHealth.AspNetCore.Tests.Checks;

/// <summary>HTTP pool mode's client name: it must name a registered client, and a runtime change may not set it.</summary>
[Trait("Category", "unit")]
public sealed class HttpPoolModeValidationTests
{
    private const string Key = "DependencyHealth:Dependencies:api:HttpClientName";

    [Fact]
    public void Registered_client_name_is_valid() =>
        Assert.Empty(StartupValidation.Failures(b =>
        {
            b.Services.AddHttpClient("payments", c => c.DefaultRequestHeaders.Add("X-App", "1"));
            b.AddHttp("api", "http://127.0.0.1:8080", "payments", critical: true);
        }));

    [Fact]
    public void Unknown_client_name_is_a_validation_error_naming_the_key()
    {
        var failures = StartupValidation.Failures(b =>
        {
            b.Services.AddHttpClient("payments", c => c.DefaultRequestHeaders.Add("X-App", "1"));
            b.AddHttp("api", "http://127.0.0.1:8080", "payment", critical: true);
        });

        var failure = Assert.Single(failures);
        Assert.StartsWith(Key + ": no HttpClient named 'payment'", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Client_name_without_an_http_client_factory_is_a_validation_error_naming_the_key()
    {
        var failures = StartupValidation.Failures(b => b.AddDependency("api", d =>
        {
            (d.Url, d.Critical, d.HttpClientName) = ("http://127.0.0.1:8080", true, "payments");
        }));

        Assert.StartsWith(Key + ":", Assert.Single(failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Client_name_is_not_an_option_of_other_types()
    {
        var failures = StartupValidation.Failures(b => b.AddTcp("api", "127.0.0.1", 8080, critical: true, d => d.HttpClientName = "payments"));

        Assert.StartsWith(Key + ":", Assert.Single(failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runtime_endpoint_may_not_name_an_application_client()
    {
        await using var harness = new SchedulerHarness(dependencies: b => b.Services.AddHttpClient("payments", c => c.DefaultRequestHeaders.Add("X-App", "1")));
        await harness.StartAsync();

        var refused = await Assert.ThrowsAsync<EndpointValidationException>(() => harness.Registry.AddAsync(new EndpointSpec
        {
            Dependency = "dyn",
            Type = "http",
            Host = "127.0.0.1",
            Port = 8080,
            Critical = false,
            Options = new Dictionary<string, string> { [CheckerOptionKeys.HttpClientName] = "payments" }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase),
        }));

        var error = Assert.Single(refused.Errors);
        Assert.Equal(CheckerOptionKeys.HttpClientName, error.Field);
        Assert.Empty(harness.Registry.GetAll());
    }
}
