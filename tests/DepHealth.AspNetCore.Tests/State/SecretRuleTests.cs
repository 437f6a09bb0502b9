using System.Text.Json;
using DepHealth.AspNetCore.Api;
using DepHealth.AspNetCore.Registry;
using DepHealth.AspNetCore.State;

namespace DepHealth.AspNetCore.Tests.State;

/// <summary>The one rule of what is a credential, as the registry API shows options and as failure reasons are scrubbed.</summary>
[Trait("Category", "unit")]
public sealed class SecretRuleTests
{
    [Theory]
    [InlineData("Headers:X-Api-Key")]
    [InlineData("Headers:X-Auth-Token")]
    [InlineData("Headers:Cookie")]
    [InlineData("Headers:Authorization")]
    [InlineData("Headers:Proxy-Authorization")]
    [InlineData("Headers:X-Session-Id")]
    [InlineData("Headers:X-Client-Secret")]
    [InlineData("Metadata:x-api-key")]
    [InlineData("ApiKey")]
    [InlineData("AccessToken")]
    [InlineData("SslPassword")]
    public void Option_keys_naming_a_credential_are_secret(string key) => Assert.True(CheckerOptionKeys.IsSecret(key));

    [Theory]
    [InlineData("HealthPath")]
    [InlineData("Method")]
    [InlineData("Headers:Accept")]
    [InlineData("BasicUsername")]
    [InlineData("TlsSkipVerify")]
    public void Option_keys_naming_no_credential_are_not_secret(string key) => Assert.False(CheckerOptionKeys.IsSecret(key));

    [Theory]
    [InlineData("Url", "https://tok3n@api.svc/health?token=t1&x=1", "https://***@api.svc/health?token=***&x=1")]
    [InlineData("Url", "postgres://app:p%40ss@db.svc/orders?sslpassword=s1&sslmode=require", "postgres://app:***@db.svc/orders?sslpassword=***&sslmode=require")]
    [InlineData("Url", "amqp://guest:pa#ss/w@mq.svc:5672/vhost", "amqp://guest:***@mq.svc:5672/vhost")]
    [InlineData("Url", "http://api.svc/health?api_key=a&sig=b&client_secret=c&pwd=d&plain=e", "http://api.svc/health?api_key=***&sig=***&client_secret=***&pwd=***&plain=e")]
    [InlineData("HealthPath", "/health?access_token=t1&x=1", "/health?access_token=***&x=1")]
    [InlineData("ProxyUrl", "http://user:pw@proxy.svc:3128", "http://user:***@proxy.svc:3128")]
    [InlineData("Headers:X-Trace", "Bearer abc", "***")]
    [InlineData("ConnectionString", "Host=db;Username=app;Password=p1;Token=t1", "host=db;username=app;password=***;token=***")]
    public void The_api_shows_credentials_masked_and_the_rest_readable(string key, string value, string shown)
    {
        var spec = new EndpointSpec
        {
            Dependency = "api", Type = "http", Host = "api.svc", Port = 80, Critical = true,
            Options = new Dictionary<string, string> { [key] = value },
        };

        var json = JsonDocument.Parse(EndpointResponseWriter.Serialize(new RegisteredEndpoint(spec, new CheckSettings(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(5), TimeSpan.Zero, 1, 1), EndpointSource.Runtime)));

        Assert.Equal(shown, json.RootElement.GetProperty("options").GetProperty(key).GetString(), ignoreCase: true);
    }

    [Fact]
    public void The_stored_form_keeps_the_credentials_as_given()
    {
        var spec = new EndpointSpec
        {
            Dependency = "api", Type = "http", Host = "api.svc", Port = 80, Critical = true,
            Options = new Dictionary<string, string> { ["Url"] = "https://tok3n@api.svc/health?token=t1", ["Headers:X-Api-Key"] = "k1" },
        };

        var stored = EndpointStoreCodec.Decode(EndpointStoreCodec.Encode(spec), []);

        Assert.Equal("https://tok3n@api.svc/health?token=t1", stored!.GetOption("Url"));
        Assert.Equal("k1", stored.GetOption("Headers:X-Api-Key"));
    }

    [Theory]
    [InlineData("Url", "http://svc:pw-123@api.svc", "c3ZjOnB3LTEyMw==")]
    [InlineData("Url", "mysql://root:my%40pw-1@db.svc", "my@pw-1")]
    [InlineData("Url", "redis://default:r@d-pass@cache.svc", "r%40d-pass")]
    [InlineData("Headers:Proxy-Authorization", "Basic cHJveHk6aHAtMjU=", "hp-25")]
    [InlineData("Headers:Cookie", "sid=abcd-1; theme=dark", "abcd-1")]
    [InlineData("HealthPath", "/health?token=tok%2B1", "tok+1")]
    public void Reasons_are_scrubbed_of_the_derived_forms_of_a_credential(string key, string value, string derived)
    {
        var spec = new EndpointSpec
        {
            Dependency = "api", Type = "http", Host = "api.svc", Port = 80, Critical = true,
            Options = new Dictionary<string, string> { [key] = value },
        };

        var scrubbed = SecretScrubber.For(spec).Scrub($"driver said: {derived}.");

        Assert.Equal("driver said: ***.", scrubbed);
    }

    [Fact]
    public void Reasons_are_scrubbed_of_the_basic_header_built_from_the_basic_options()
    {
        var spec = new EndpointSpec
        {
            Dependency = "api", Type = "http", Host = "api.svc", Port = 80, Critical = true,
            Options = new Dictionary<string, string> { ["BasicUsername"] = "svc", ["BasicPassword"] = "bp-31" },
        };

        Assert.Equal("Authorization: Basic ***", SecretScrubber.For(spec).Scrub("Authorization: Basic c3ZjOmJwLTMx"));
    }
}
