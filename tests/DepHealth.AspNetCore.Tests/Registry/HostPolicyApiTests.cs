using System.Net;
using System.Text;
using System.Text.Json;

namespace DepHealth.AspNetCore.Tests.Registry;

/// <summary>The registry API refuses every form of a denied host, in the host field or in an option naming a host, with a 400 naming the field.</summary>
[Trait("Category", "unit")]
public sealed class HostPolicyApiTests
{
    [Theory]
    [MemberData(nameof(HostPolicyTests.LocalMachineForms), MemberType = typeof(HostPolicyTests))]
    public async Task Registry_api_answers_400_naming_host_for_every_form_of_a_denied_address(string host)
    {
        await using var app = await StartAsync();

        var errors = await PostRejectedAsync(app, $$"""{"dependency":"dyn","type":"tcp","host":"{{host}}","port":80,"critical":false}""");

        Assert.Contains("DependencyHealth:Registry:DeniedHosts", errors.GetProperty("host").ToString(), StringComparison.Ordinal);
        Assert.Empty(app.Registry.GetAll());
    }

    [Theory]
    [MemberData(nameof(HostPolicyTests.LocalMachineOverrides), MemberType = typeof(HostPolicyTests))]
    public async Task Registry_api_answers_400_naming_the_host_override_option(string type, string key, string value)
    {
        await using var app = await StartAsync();

        var errors = await PostRejectedAsync(app, $$$"""{"dependency":"dyn","type":"{{{type}}}","host":"api.svc","port":8080,"critical":false,"options":{"{{{key}}}":"{{{value}}}"}}""");

        Assert.Contains("DependencyHealth:Registry:DeniedHosts", errors.GetProperty($"options.{key}").ToString(), StringComparison.Ordinal);
        Assert.Empty(app.Registry.GetAll());
    }

    private static Task<TestWebApp> StartAsync() => TestWebApp.StartAsync(
        o =>
        {
            o.Registry.DeniedHosts.Add("127.0.0.0/8");
            o.Registry.DeniedHosts.Add("::1");
        },
        time: new TimerTrackingTimeProvider());

    /// <summary>Posts an endpoint that must be refused; returns the problem's errors.</summary>
    private static async Task<JsonElement> PostRejectedAsync(TestWebApp app, string json)
    {
        using var response = await app.Client.PostAsync(new Uri("/admin/endpoints", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("errors");
    }
}
