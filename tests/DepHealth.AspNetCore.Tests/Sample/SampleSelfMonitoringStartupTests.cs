using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DepHealth.AspNetCore.Tests.Sample;

/// <summary>
/// The sample in Development, where it monitors itself, on the in-memory test server: a server with no HTTP address
/// leaves it nothing of its own to check, and it must then still become ready; without live reload it cannot add its
/// self endpoints and refuses to start, naming the setting.
/// </summary>
/// <remarks>In the sample's collection: WebApplicationFactory must not take another test's host.</remarks>
[Trait("Category", "unit")]
[Collection(nameof(SampleApiKeyTests))]
public sealed class SampleSelfMonitoringStartupTests
{
    private sealed class DevelopmentSample(params (string Key, string Value)[] settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }

    [Fact]
    public async Task Sample_on_a_server_without_an_http_address_becomes_ready()
    {
        await using var factory = new DevelopmentSample(("DependencyHealth:InitialDelay", "00:00:00"));
        using var client = factory.CreateClient();

        var ready = await Eventually.ValueAsync(
            async () => (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode,
            status => status == HttpStatusCode.OK,
            "the sample is ready");
        var details = await client.GetStringAsync(new Uri("/health/details", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, ready);
        Assert.DoesNotContain("self-", details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sample_refuses_to_monitor_itself_without_live_reload()
    {
        await using var factory = new DevelopmentSample(("DependencyHealth:Reload:Enabled", "false"));

        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());

        Assert.Contains("Sample:MonitorSelf needs DependencyHealth:Reload:Enabled=true", error.Message, StringComparison.Ordinal);
    }
}
