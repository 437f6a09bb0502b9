using DepHealth.AspNetCore.Checks.Http;

namespace DepHealth.AspNetCore.Tests.Checks;

/// <summary>HTTP pool mode: the check sends through the application's named client from IHttpClientFactory.</summary>
[Trait("Category", "unit")]
public sealed class HttpPoolModeTests : IAsyncLifetime
{
    private const string ClientName = "payments";

    private LocalHttpServer _server = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _server = await LocalHttpServer.StartAsync();
        var services = new ServiceCollection();
        services.AddHttpClient(ClientName, client => client.Timeout = TimeSpan.FromMilliseconds(50))
            .AddHttpMessageHandler(() => new MarkingHandler());
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Check_goes_through_the_named_clients_handlers()
    {
        Assert.Equal(CheckDetails.Ok, await DetailAsync(Spec(_server.HttpPort)));

        var received = Assert.Single(_server.Requests);
        Assert.Equal(MarkingHandler.Value, received.Headers[MarkingHandler.Header].ToString());
    }

    [Fact]
    public async Task Checks_reuse_one_pooled_connection()
    {
        var spec = Spec(_server.HttpPort);
        var checker = Checker(spec);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(CheckDetails.Ok, await CheckerRun.DetailAsync(checker, spec));
        }

        Assert.Equal(3, _server.Requests.Count);
        Assert.Single(_server.Requests.Select(r => r.ConnectionId).Distinct());
        Assert.All(_server.Requests, r => Assert.False(r.Headers.ContainsKey("Connection"), "the check asked to close the pooled connection"));
    }

    [Theory]
    [InlineData(204, "ok")]
    [InlineData(401, "auth_error")]
    [InlineData(403, "auth_error")]
    [InlineData(404, "http_404")]
    [InlineData(503, "http_503")]
    public async Task Status_codes_map_to_their_detail(int code, string detail) =>
        Assert.Equal(detail, await DetailAsync(Spec(_server.HttpPort, d => d.HealthPath = $"/status/{code}")));

    [Fact]
    public async Task Closed_port_is_connection_refused() =>
        Assert.Equal(CheckDetails.ConnectionRefused, await DetailAsync(Spec(LocalListeners.ClosedPort())));

    [Fact]
    public async Task Server_that_never_answers_is_timeout_when_the_check_is_cancelled()
    {
        await using var silent = new SilentListener();
        using var cancellation = new CancellationTokenSource();
        var spec = Spec(silent.Port);
        var check = CheckerRun.DetailAsync(Checker(spec), spec, cancellation.Token);

        await silent.FirstAccept.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();

        Assert.Equal(CheckDetails.Timeout, await check.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Named_clients_own_timeout_does_not_cut_the_check_short() =>
        Assert.Equal(CheckDetails.Ok, await DetailAsync(Spec(_server.HttpPort, d => d.HealthPath = "/slow/300")));

    [Fact]
    public async Task Configured_headers_and_the_user_agent_go_through_the_named_client()
    {
        Assert.Equal(CheckDetails.Ok, await DetailAsync(Spec(_server.HttpPort, d =>
        {
            d.BearerToken = "tok-123";
            d.Headers["X-Probe"] = "yes";
        })));

        var received = Assert.Single(_server.Requests);
        Assert.Equal("Bearer tok-123", received.Headers.Authorization.ToString());
        Assert.Equal("yes", received.Headers["X-Probe"].ToString());
        Assert.Equal(HttpChecker.UserAgent, received.Headers.UserAgent.ToString());
    }

    [Fact]
    public void TlsSkipVerify_cannot_be_combined_with_a_client_name() =>
        CheckerRun.AssertInvalidOn(new HttpCheckerFactory(_services), Spec(_server.HttpsPort, d => d.TlsSkipVerify = true), CheckerOptionKeys.TlsSkipVerify);

    private static EndpointSpec Spec(int port, Action<DependencyOptions>? configure = null)
    {
        var options = new DependencyOptions { Url = $"http://127.0.0.1:{port}", HttpClientName = ClientName };
        configure?.Invoke(options);
        return CheckerRun.Spec(options);
    }

    private IDependencyChecker Checker(EndpointSpec spec)
    {
        var factory = new HttpCheckerFactory(_services);
        Assert.Empty(CheckerRun.Validate(factory, spec));
        return factory.Create(spec, _services);
    }

    private Task<string> DetailAsync(EndpointSpec spec) => CheckerRun.DetailAsync(Checker(spec), spec);

    /// <summary>The application's handler on the named client: adds a header the server can see.</summary>
    private sealed class MarkingHandler : DelegatingHandler
    {
        public const string Header = "X-Client-Handler";
        public const string Value = "payments";

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add(Header, Value);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
