using System.Collections.Frozen;
using DepHealth.AspNetCore.Checks.Http;
using DepHealth.AspNetCore.Checks.Tcp;

namespace DepHealth.AspNetCore.Tests.Checks;

/// <summary>Contract §1–2 classification, against real loopback listeners: refused, DNS, timeout, TLS, HTTP codes.</summary>
[Trait("Category", "unit")]
public sealed class ClassificationTests : IAsyncLifetime
{
    private LocalHttpServer _server = null!;

    public async Task InitializeAsync() => _server = await LocalHttpServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static EndpointSpec Tcp(string host, int port) =>
        new() { Dependency = "dep", Type = "tcp", Host = host, Port = port, Critical = true };

    private static EndpointSpec Http(int port, params (string Key, string Value)[] options) =>
        new()
        {
            Dependency = "web",
            Type = "http",
            Host = "127.0.0.1",
            Port = port,
            Critical = true,
            Options = options.ToFrozenDictionary(o => o.Key, o => o.Value, StringComparer.OrdinalIgnoreCase),
        };

    [Fact]
    public async Task Tcp_connection_that_opens_is_ok() =>
        Assert.Equal("ok", await CheckerRun.DetailAsync(new TcpCheckerFactory(), Tcp("127.0.0.1", _server.HttpPort)));

    [Fact]
    public async Task Tcp_closed_port_is_connection_refused() =>
        Assert.Equal("connection_refused", await CheckerRun.DetailAsync(new TcpCheckerFactory(), Tcp("127.0.0.1", LocalListeners.ClosedPort())));

    [Fact]
    public async Task Tcp_unresolvable_host_is_dns_error() =>
        Assert.Equal("dns_error", await CheckerRun.DetailAsync(new TcpCheckerFactory(), Tcp("nonexistent.invalid", 80)));

    [Fact]
    public async Task Http_2xx_is_ok() =>
        Assert.Equal("ok", await CheckerRun.DetailAsync(new HttpCheckerFactory(), Http(_server.HttpPort)));

    [Theory]
    [InlineData(500, "http_500")]
    [InlineData(503, "http_503")]
    [InlineData(404, "http_404")]
    [InlineData(401, "auth_error")]
    [InlineData(403, "auth_error")]
    public async Task Http_status_codes_map_to_their_detail(int code, string detail) =>
        Assert.Equal(detail, await CheckerRun.DetailAsync(new HttpCheckerFactory(), Http(_server.HttpPort, ("HealthPath", $"/status/{code}"))));

    [Fact]
    public async Task Http_redirects_are_followed_to_the_final_answer() =>
        Assert.Equal("ok", await CheckerRun.DetailAsync(new HttpCheckerFactory(), Http(_server.HttpPort, ("HealthPath", "/redirect"))));

    [Fact]
    public async Task Http_closed_port_is_connection_refused() =>
        Assert.Equal("connection_refused", await CheckerRun.DetailAsync(new HttpCheckerFactory(), Http(LocalListeners.ClosedPort())));

    [Fact]
    public async Task Http_unresolvable_host_is_dns_error()
    {
        var spec = Http(80) with { Host = "nonexistent.invalid" };
        Assert.Equal("dns_error", await CheckerRun.DetailAsync(new HttpCheckerFactory(), spec));
    }

    [Fact]
    public async Task Http_server_that_never_answers_is_timeout_when_the_check_is_cancelled()
    {
        await using var silent = new SilentListener();
        using var cancellation = new CancellationTokenSource();
        var check = CheckerRun.DetailAsync(new HttpCheckerFactory(), Http(silent.Port), cancellation.Token);

        await silent.FirstAccept.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();

        Assert.Equal("timeout", await check.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Tcp_listener_that_accepts_is_ok_even_if_it_never_answers()
    {
        await using var silent = new SilentListener();
        Assert.Equal("ok", await CheckerRun.DetailAsync(new TcpCheckerFactory(), Tcp("127.0.0.1", silent.Port)));
    }

    [Fact]
    public async Task Https_with_an_untrusted_certificate_is_tls_error()
    {
        var spec = Http(_server.HttpsPort, ("Url", $"https://localhost:{_server.HttpsPort}")) with { Host = "localhost" };
        Assert.Equal("tls_error", await CheckerRun.DetailAsync(new HttpCheckerFactory(), spec));
    }

    [Fact]
    public async Task Https_with_TlsSkipVerify_accepts_an_untrusted_certificate()
    {
        var spec = Http(_server.HttpsPort, ("Url", $"https://localhost:{_server.HttpsPort}"), ("TlsSkipVerify", "true")) with { Host = "localhost" };
        Assert.Equal("ok", await CheckerRun.DetailAsync(new HttpCheckerFactory(), spec));
    }

    [Fact]
    public async Task Host_header_override_is_sent_and_sets_the_tls_server_name()
    {
        var spec = Http(_server.HttpsPort, ("Url", $"https://127.0.0.1:{_server.HttpsPort}"), ("TlsSkipVerify", "true"), ("HostHeader", "api.internal.test"));

        Assert.Equal("ok", await CheckerRun.DetailAsync(new HttpCheckerFactory(), spec));
        Assert.Equal("api.internal.test", _server.LastHeaders!["Host"].ToString());
        Assert.Equal("api.internal.test", _server.LastTlsServerName);
    }

    [Fact]
    public async Task Http_check_sends_the_dephealth_user_agent_and_configured_headers()
    {
        var spec = Http(_server.HttpPort, ("Headers:X-Probe", "yes"), ("BearerToken", "tok-123"));

        Assert.Equal("ok", await CheckerRun.DetailAsync(new HttpCheckerFactory(), spec));
        Assert.StartsWith("dephealth/", _server.LastHeaders!["User-Agent"].ToString(), StringComparison.Ordinal);
        Assert.Equal("yes", _server.LastHeaders["X-Probe"].ToString());
        Assert.Equal("Bearer tok-123", _server.LastHeaders["Authorization"].ToString());
    }

    [Fact]
    public async Task Http_basic_auth_from_url_credentials_is_sent()
    {
        var spec = Http(_server.HttpPort, ("Url", $"http://user:p%40ss@127.0.0.1:{_server.HttpPort}"));

        Assert.Equal("ok", await CheckerRun.DetailAsync(new HttpCheckerFactory(), spec));
        Assert.Equal("Basic " + Convert.ToBase64String("user:p@ss"u8.ToArray()), _server.LastHeaders!["Authorization"].ToString());
    }

    [Fact]
    public async Task Http_method_option_is_used()
    {
        var spec = Http(_server.HttpPort, ("Method", "HEAD"));
        Assert.Equal("ok", await CheckerRun.DetailAsync(new HttpCheckerFactory(), spec));
    }

    [Theory]
    [InlineData("BearerToken", "t", "BasicUsername", "u")]
    [InlineData("BearerToken", "t", "Headers:Authorization", "Bearer x")]
    public void Http_rejects_more_than_one_way_to_authenticate(string key1, string value1, string key2, string value2)
    {
        var spec = Http(80, (key1, value1), (key2, value2), ("BasicPassword", "p"));
        var errors = new List<EndpointValidationError>();

        new HttpCheckerFactory().Validate(spec, errors);

        Assert.Contains(errors, e => e.Message.Contains("at most one way to authenticate", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("HealthPath", "no-slash")]
    [InlineData("Method", "get")]
    [InlineData("TlsSkipVerify", "maybe")]
    [InlineData("HostHeader", "bad host")]
    public void Http_invalid_option_names_the_option(string key, string value)
    {
        var errors = new List<EndpointValidationError>();

        new HttpCheckerFactory().Validate(Http(80, (key, value)), errors);

        Assert.Contains(errors, e => e.Field == key);
    }
}
