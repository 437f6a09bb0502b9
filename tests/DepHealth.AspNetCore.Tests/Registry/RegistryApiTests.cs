using System.Net;
using System.Text;
using System.Text.Json;

namespace DepHealth.AspNetCore.Tests.Registry;

/// <summary>The registry HTTP API: status codes, problem+json errors naming the field, redacted secrets.</summary>
[Trait("Category", "unit")]
public sealed class RegistryApiTests : IAsyncLifetime
{
    private TestWebApp _app = null!;

    public async Task InitializeAsync() => _app = await TestWebApp.StartAsync(time: new TimerTrackingTimeProvider());

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private const string Valid = """{"dependency":"orders","type":"http","host":"orders.svc","port":8080,"critical":true,"labels":{"role":"api"},"checkInterval":"00:00:30","options":{"HealthPath":"/ready","BearerToken":"tok-secret-1"}}""";

    private Task<HttpResponseMessage> PostAsync(string json) => _app.Client.PostAsync(new Uri("/admin/endpoints", UriKind.Relative), Json(json));

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task Post_creates_an_endpoint_with_201_and_its_location()
    {
        using var response = await PostAsync(Valid);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/admin/endpoints/orders/orders.svc/8080", response.Headers.Location?.OriginalString);
        var endpoint = Assert.Single(_app.Registry.GetAll());
        Assert.Equal(TimeSpan.FromSeconds(30), endpoint.Settings.CheckInterval);
        Assert.Equal("/ready", endpoint.Spec.GetOption("HealthPath"));
    }

    [Fact]
    public async Task Posting_an_identical_endpoint_again_answers_200()
    {
        using var first = await PostAsync(Valid);
        using var second = await PostAsync(Valid);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Single(_app.Registry.GetAll());
    }

    [Fact]
    public async Task Posting_the_same_key_with_a_different_spec_answers_409()
    {
        using var first = await PostAsync(Valid);
        using var second = await PostAsync(Valid.Replace("\"critical\":true", "\"critical\":false", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.True(Assert.Single(_app.Registry.GetAll()).Spec.Critical);
    }

    [Theory]
    [InlineData("""{"dependency":"Orders","type":"http","host":"h","port":80,"critical":true}""", "dependency")]
    [InlineData("""{"dependency":"orders","type":"http","host":"h","port":"abc","critical":true}""", "port")]
    [InlineData("""{"dependency":"orders","type":"http","host":"h","port":0,"critical":true}""", "port")]
    [InlineData("""{"dependency":"orders","type":"smtp","host":"h","port":80,"critical":true}""", "type")]
    [InlineData("""{"dependency":"orders","type":"http","host":"h","port":80}""", "critical")]
    [InlineData("""{"dependency":"orders","type":"http","host":"h","port":80,"critical":true,"labels":{"host":"x"}}""", "labels.host")]
    [InlineData("""{"dependency":"orders","type":"http","host":"h","port":80,"critical":true,"timeout":"00:00:20"}""", "timeout")]
    [InlineData("""{"dependency":"orders","type":"http","host":"h","port":80,"critical":true,"options":{"Method":"get"}}""", "options.Method")]
    [InlineData("""{"dependency":"orders","type":"http","host":"h","port":80,"critical":true,"bogus":1}""", "bogus")]
    [InlineData("""{"dependency":"orders","type":"http","host":"h","port":80,"critical":true""", "body")]
    [InlineData("""[1,2]""", "body")]
    public async Task Invalid_post_answers_400_naming_the_field_and_changes_nothing(string json, string field)
    {
        using var response = await PostAsync(json);

        var problem = await ProblemAsync(response);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors name '{field}': {problem}");
        Assert.Empty(_app.Registry.GetAll());
    }

    [Fact]
    public async Task Post_with_a_wrong_content_type_answers_400()
    {
        using var response = await _app.Client.PostAsync(new Uri("/admin/endpoints", UriKind.Relative), new StringContent(Valid, Encoding.UTF8, "text/plain"));

        var problem = await ProblemAsync(response);
        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _));
    }

    [Fact]
    public async Task Oversized_body_answers_400()
    {
        var huge = Valid.Replace("\"role\":\"api\"", $"\"role\":\"{new string('x', 70_000)}\"", StringComparison.Ordinal);

        using var response = await PostAsync(huge);

        var problem = await ProblemAsync(response);
        Assert.Contains("at most", problem.GetProperty("errors").GetProperty("body")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_lists_endpoints_with_secrets_redacted()
    {
        using var created = await PostAsync(Valid);

        var body = await _app.Client.GetStringAsync(new Uri("/admin/endpoints", UriKind.Relative));

        Assert.DoesNotContain("tok-secret-1", body, StringComparison.Ordinal);
        var endpoint = Assert.Single(JsonDocument.Parse(body).RootElement.EnumerateArray().ToArray());
        Assert.Equal("orders", endpoint.GetProperty("dependency").GetString());
        Assert.Equal(8080, endpoint.GetProperty("port").GetInt32());
        Assert.Equal("api", endpoint.GetProperty("labels").GetProperty("role").GetString());
        Assert.Equal("00:00:30", endpoint.GetProperty("checkInterval").GetString());
        Assert.Equal("00:00:05", endpoint.GetProperty("timeout").GetString());
        Assert.Equal("***", endpoint.GetProperty("options").GetProperty("BearerToken").GetString());
    }

    [Fact]
    public async Task Put_replaces_an_endpoint()
    {
        using var created = await PostAsync(Valid);

        using var response = await _app.Client.PutAsync(
            new Uri("/admin/endpoints/orders/orders.svc/8080", UriKind.Relative),
            Json(Valid.Replace("orders.svc", "orders-v2.svc", StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("orders-v2.svc", Assert.Single(_app.Registry.GetAll()).Spec.Host);
    }

    [Fact]
    public async Task Put_of_a_missing_endpoint_answers_404()
    {
        using var response = await _app.Client.PutAsync(new Uri("/admin/endpoints/orders/orders.svc/8080", UriKind.Relative), Json(Valid));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Put_with_invalid_body_answers_400_and_keeps_the_old_endpoint()
    {
        using var created = await PostAsync(Valid);

        using var response = await _app.Client.PutAsync(
            new Uri("/admin/endpoints/orders/orders.svc/8080", UriKind.Relative),
            Json(Valid.Replace("8080", "70000", StringComparison.Ordinal)));

        await ProblemAsync(response);
        Assert.Equal(8080, Assert.Single(_app.Registry.GetAll()).Spec.Port);
    }

    [Fact]
    public async Task Delete_answers_204_whether_or_not_the_endpoint_exists()
    {
        using var created = await PostAsync(Valid);

        using var first = await _app.Client.DeleteAsync(new Uri("/admin/endpoints/orders/orders.svc/8080", UriKind.Relative));
        using var second = await _app.Client.DeleteAsync(new Uri("/admin/endpoints/orders/orders.svc/8080", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        Assert.Empty(_app.Registry.GetAll());
    }

    [Fact]
    public async Task Post_accepts_durations_in_seconds()
    {
        using var response = await PostAsync("""{"dependency":"svc","type":"tcp","host":"h","port":80,"critical":false,"checkInterval":30,"timeout":2.5}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var settings = Assert.Single(_app.Registry.GetAll()).Settings;
        Assert.Equal(TimeSpan.FromSeconds(30), settings.CheckInterval);
        Assert.Equal(TimeSpan.FromSeconds(2.5), settings.Timeout);
    }

    [Fact]
    public async Task Api_changes_are_audited_with_the_caller()
    {
        using var response = await PostAsync(Valid);

        var audit = Assert.Single(_app.Logs.WithEventId(2001));
        Assert.Contains("orders:orders.svc:8080", audit.Message, StringComparison.Ordinal);
        Assert.Contains("anonymous@", audit.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-secret-1", _app.Logs.AllText(), StringComparison.Ordinal);
    }
}
