using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DepHealth.AspNetCore.Tests.Sample;

/// <summary>The sample protects its registry API with X-Api-Key against Admin:ApiKey; with no key configured nobody gets in.</summary>
/// <remarks>
/// WebApplicationFactory finds the sample's host through a process-wide hosting diagnostic listener; built while other
/// tests build their hosts it can take one of theirs, so this collection runs alone.
/// </remarks>
[Trait("Category", "unit")]
[Collection(nameof(SampleApiKeyTests))]
public sealed class SampleApiKeyTests
{
    private sealed class SampleFactory(string? apiKey, string? readOnlyKey = null) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            if (apiKey is not null)
            {
                builder.UseSetting("Admin:ApiKey", apiKey);
            }

            if (readOnlyKey is not null)
            {
                builder.UseSetting("Admin:ReadOnlyApiKey", readOnlyKey);
            }
        }
    }

    private static async Task<HttpStatusCode> ListAsync(WebApplicationFactory<Program> factory, string? key)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/endpoints");
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Registry_api_answers_401_without_a_key()
    {
        await using var factory = new SampleFactory("right-key");
        Assert.Equal(HttpStatusCode.Unauthorized, await ListAsync(factory, null));
    }

    [Fact]
    public async Task Registry_api_answers_401_with_a_wrong_key()
    {
        await using var factory = new SampleFactory("right-key");
        Assert.Equal(HttpStatusCode.Unauthorized, await ListAsync(factory, "wrong-key"));
    }

    [Fact]
    public async Task Registry_api_answers_403_to_a_key_lacking_the_admin_policy()
    {
        await using var factory = new SampleFactory("right-key", "read-only-key");
        Assert.Equal(HttpStatusCode.Forbidden, await ListAsync(factory, "read-only-key"));
    }

    [Fact]
    public async Task Probes_stay_anonymous_while_the_registry_api_is_protected()
    {
        await using var factory = new SampleFactory("right-key");
        using var client = factory.CreateClient();

        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Registry_api_throttles_a_client_after_ten_wrong_keys_even_with_the_right_key()
    {
        await using var factory = new SampleFactory("right-key");
        var wrong = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            wrong.Add(await ListAsync(factory, "wrong-key"));
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 10), wrong);
        Assert.Equal(HttpStatusCode.TooManyRequests, await ListAsync(factory, "wrong-key"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await ListAsync(factory, "right-key"));
    }

    [Fact]
    public async Task Registry_api_answers_with_the_right_key()
    {
        await using var factory = new SampleFactory("right-key");
        Assert.Equal(HttpStatusCode.OK, await ListAsync(factory, "right-key"));
    }

    [Fact]
    public async Task Registry_api_answers_401_to_everyone_when_no_key_is_configured()
    {
        await using var factory = new SampleFactory(null);
        Assert.Equal(HttpStatusCode.Unauthorized, await ListAsync(factory, ""));
        Assert.Equal(HttpStatusCode.Unauthorized, await ListAsync(factory, "anything"));
    }

    [Fact]
    public async Task Production_sample_monitors_nothing_and_is_ready()
    {
        await using var factory = new SampleFactory("k");
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/endpoints");
        request.Headers.Add("X-Api-Key", "k");

        using var list = await client.SendAsync(request);
        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal("[]", await list.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Endpoint_added_through_the_sample_api_is_monitored()
    {
        await using var factory = new SampleFactory("k");
        using var client = factory.CreateClient();
        using var post = new HttpRequestMessage(HttpMethod.Post, "/admin/endpoints")
        {
            Content = new StringContent("""{"dependency":"added","type":"tcp","host":"127.0.0.1","port":1,"critical":false}""", Encoding.UTF8, "application/json"),
        };
        post.Headers.Add("X-Api-Key", "k");

        using var created = await client.SendAsync(post);
        var details = await Eventually.ValueAsync(
            () => client.GetStringAsync(new Uri("/health/details", UriKind.Relative)),
            body => body.Contains("connection_refused", StringComparison.Ordinal),
            "the added endpoint is checked");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Contains("\"added:127.0.0.1:1\"", details, StringComparison.Ordinal);
    }
}

[CollectionDefinition(nameof(SampleApiKeyTests), DisableParallelization = true)]
public sealed class SampleApiKeyTestsRunAlone;
