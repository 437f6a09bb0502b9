using DepHealth.AspNetCore.Checks.Http;

namespace DepHealth.AspNetCore.Tests.Checks;

/// <summary>The HTTP check follows redirects itself: hop limit, method rules, no downgrade, configured headers to the endpoint's own origin only.</summary>
[Trait("Category", "unit")]
public sealed class HttpRedirectTests : IAsyncLifetime
{
    private static readonly IServiceProvider Services = new ServiceCollection().BuildServiceProvider();

    private LocalHttpServer _origin = null!;
    private LocalHttpServer _other = null!;

    public async Task InitializeAsync()
    {
        _origin = await LocalHttpServer.StartAsync();
        _other = await LocalHttpServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _origin.DisposeAsync();
        await _other.DisposeAsync();
    }

    /// <summary>Each way an endpoint can be configured to send a header, and the header it sends.</summary>
    public static TheoryData<string, string> ConfiguredHeaders => new()
    {
        { "Headers:X-Api-Key", "X-Api-Key" },
        { "BearerToken", "Authorization" },
        { "BasicUsername", "Authorization" },
        { "Headers:Authorization", "Authorization" },
    };

    [Theory]
    [MemberData(nameof(ConfiguredHeaders))]
    public async Task Cross_origin_redirect_does_not_carry_configured_headers(string option, string header)
    {
        var spec = Spec(Redirect(302, $"http://127.0.0.1:{_other.HttpPort}/health"), d => Configure(d, option));

        Assert.Equal(CheckDetails.Ok, await CheckerRun.DetailAsync(new HttpCheckerFactory(), spec));

        var received = Assert.Single(_other.Requests);
        Assert.False(received.Headers.ContainsKey(header), $"{header} reached another origin");
    }

    [Theory]
    [MemberData(nameof(ConfiguredHeaders))]
    public async Task Same_origin_redirect_keeps_configured_headers(string option, string header)
    {
        var spec = Spec(Redirect(302, "/health"), d => Configure(d, option));

        Assert.Equal(CheckDetails.Ok, await CheckerRun.DetailAsync(new HttpCheckerFactory(), spec));

        var followed = _origin.Requests.Last();
        Assert.Equal("/health", followed.PathAndQuery);
        Assert.True(followed.Headers.ContainsKey(header), $"{header} was dropped on a same-origin redirect");
    }

    [Fact]
    public async Task Cross_origin_redirect_does_not_carry_the_host_override()
    {
        var spec = Spec(Redirect(307, $"http://127.0.0.1:{_other.HttpPort}/health"), d => d.HostHeader = "api.example:8080");

        Assert.Equal(CheckDetails.Ok, await CheckerRun.DetailAsync(new HttpCheckerFactory(), spec));

        Assert.Equal($"127.0.0.1:{_other.HttpPort}", Assert.Single(_other.Requests).Headers.Host.ToString());
    }

    [Fact]
    public async Task Same_origin_redirect_keeps_the_host_override()
    {
        var spec = Spec(Redirect(307, "/health"), d => d.HostHeader = "api.example:8080");

        Assert.Equal(CheckDetails.Ok, await CheckerRun.DetailAsync(new HttpCheckerFactory(), spec));

        Assert.Equal("api.example:8080", _origin.Requests.Last().Headers.Host.ToString());
    }

    [Fact]
    public async Task Redirect_loop_fails_after_ten_redirects()
    {
        var failure = await FailureAsync(Spec("/loop"));

        Assert.Equal(CheckDetails.Error, failure.Detail);
        Assert.Contains("more than 10 redirects", failure.Description, StringComparison.Ordinal);
        Assert.Equal(11, _origin.Requests.Count);
    }

    [Theory]
    [InlineData(10, "ok")]
    [InlineData(11, "error")]
    public async Task At_most_ten_redirects_are_followed(int redirects, string detail) =>
        Assert.Equal(detail, await CheckerRun.DetailAsync(new HttpCheckerFactory(), Spec($"/hops/{redirects}")));

    [Fact]
    public async Task Https_to_http_redirect_is_not_followed()
    {
        var spec = CheckerRun.Spec(new DependencyOptions
        {
            Type = DependencyTypes.Http,
            Url = $"https://127.0.0.1:{_origin.HttpsPort}{Redirect(302, $"http://127.0.0.1:{_other.HttpPort}/health")}",
            TlsSkipVerify = true,
        });

        var failure = await FailureAsync(spec);

        Assert.Equal(CheckDetails.Error, failure.Detail);
        Assert.Contains("from https to http", failure.Description, StringComparison.Ordinal);
        Assert.Empty(_other.Requests);
    }

    [Fact]
    public async Task Redirect_to_a_scheme_other_than_http_is_not_followed()
    {
        var failure = await FailureAsync(Spec(Redirect(302, "ftp://127.0.0.1/health")));

        Assert.Equal(CheckDetails.Error, failure.Detail);
        Assert.Contains("'ftp'", failure.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", 301, "GET")]
    [InlineData("POST", 302, "GET")]
    [InlineData("POST", 303, "GET")]
    [InlineData("HEAD", 303, "HEAD")]
    [InlineData("HEAD", 302, "HEAD")]
    [InlineData("POST", 307, "POST")]
    [InlineData("POST", 308, "POST")]
    public async Task Redirect_changes_the_method_as_browsers_do(string method, int code, string followedWith)
    {
        var spec = Spec(Redirect(code, "/health"), d => d.Method = method);

        Assert.Equal(CheckDetails.Ok, await CheckerRun.DetailAsync(new HttpCheckerFactory(), spec));

        Assert.Equal(followedWith, _origin.Requests.Last().Method);
    }

    [Fact]
    public async Task Relative_location_is_resolved_against_the_current_uri()
    {
        Assert.Equal(CheckDetails.Ok, await CheckerRun.DetailAsync(new HttpCheckerFactory(), Spec(Redirect(302, "../health"))));

        Assert.Equal("/health", _origin.Requests.Last().PathAndQuery);
    }

    private static string Redirect(int code, string to) => $"/redirect/{code}?to={Uri.EscapeDataString(to)}";

    private EndpointSpec Spec(string path, Action<DependencyOptions>? configure = null)
    {
        var options = new DependencyOptions { Type = DependencyTypes.Http, Host = "127.0.0.1", Port = _origin.HttpPort, HealthPath = path };
        configure?.Invoke(options);
        return CheckerRun.Spec(options);
    }

    private static void Configure(DependencyOptions options, string option)
    {
        switch (option)
        {
            case "Headers:X-Api-Key":
                options.Headers["X-Api-Key"] = "key-1";
                break;
            case "BearerToken":
                options.BearerToken = "token-1";
                break;
            case "BasicUsername":
                options.BasicUsername = "user";
                options.BasicPassword = "password-1";
                break;
            default:
                options.Headers["Authorization"] = "Token token-2";
                break;
        }
    }

    private static async Task<CheckResult> FailureAsync(EndpointSpec spec)
    {
        var checker = new HttpCheckerFactory().Create(spec, Services);
        using var disposable = (IDisposable)checker;
        using var limit = new CancellationTokenSource(CheckerRun.Limit);
        return await checker.CheckAsync(spec, limit.Token);
    }
}
