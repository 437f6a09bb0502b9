using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using static DepHealth.AspNetCore.Tests.Registry.ApiKeyWebApp;

namespace DepHealth.AspNetCore.Tests.Registry;

/// <summary>Failed authorizations on the registry API are throttled per client address and logged without any header value.</summary>
[Trait("Category", "unit")]
public sealed class FailedAuthenticationThrottleTests
{
    private const string Attacker = "203.0.113.7";
    private const string Operator = "198.51.100.20";
    private const string WrongKey = "wrong-key-51d0e8";

    private static Task<ApiKeyWebApp> StartAsync(int limit = 3, TimeSpan? window = null) =>
        ApiKeyWebApp.StartAsync(r => (r.FailedAuthenticationLimit, r.FailedAuthenticationWindow) = (limit, window ?? TimeSpan.FromMinutes(1)));

    [Fact]
    public async Task Wrong_key_gets_401_until_the_limit_then_429_with_retry_after()
    {
        await using var app = await StartAsync(limit: 3);

        var statuses = await app.StatusesAsync(Attacker, WrongKey, 3);
        var throttled = await app.SendAsync(Attacker, WrongKey);

        Assert.Equal([401, 401, 401], statuses);
        Assert.Equal(429, throttled.StatusCode);
        Assert.Equal("60", throttled.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task Correct_key_from_a_throttled_client_gets_429()
    {
        await using var app = await StartAsync(limit: 3);
        var before = (await app.SendAsync(Attacker, RightKey)).StatusCode;
        await app.StatusesAsync(Attacker, WrongKey, 3);

        var after = await app.SendAsync(Attacker, RightKey);

        Assert.Equal(200, before);
        Assert.Equal(429, after.StatusCode);
    }

    [Fact]
    public async Task Another_client_is_not_throttled_by_a_throttled_one()
    {
        await using var app = await StartAsync(limit: 3);
        await app.StatusesAsync(Attacker, WrongKey, 5);

        var right = await app.SendAsync(Operator, RightKey);
        var wrong = await app.SendAsync(Operator, WrongKey);

        Assert.Equal(200, right.StatusCode);
        Assert.Equal(401, wrong.StatusCode);
    }

    [Fact]
    public async Task Forbidden_requests_count_as_failures()
    {
        await using var app = await StartAsync(limit: 3);

        var statuses = await app.StatusesAsync(Attacker, ReadOnlyKey, 4);

        Assert.Equal([403, 403, 403, 429], statuses);
    }

    [Fact]
    public async Task Throttle_lifts_when_the_window_passes()
    {
        await using var app = await StartAsync(limit: 2, window: TimeSpan.FromSeconds(1));

        // The window starts at the first failure and may end between two requests: fail until throttled, then wait it out.
        await Eventually.ValueAsync(async () => (await app.SendAsync(Attacker, WrongKey)).StatusCode, s => s == 429, "the client is throttled");
        var status = await Eventually.ValueAsync(async () => (await app.SendAsync(Attacker, RightKey)).StatusCode, s => s != 429, "the window passed");

        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Failures_are_logged_up_to_the_limit_then_once_as_throttled()
    {
        await using var app = await StartAsync(limit: 3);

        await app.StatusesAsync(Attacker, WrongKey, 50);

        var failures = app.Logs.WithEventId(2003);
        Assert.Equal(3, failures.Count);
        Assert.All(failures, f => Assert.Contains($"Registry API GET /admin/endpoints from {Attacker} failed authorization (challenged)", f.Message, StringComparison.Ordinal));
        Assert.Equal("failure 3 of 3 allowed per 60 s", failures[2].Message[^"failure 3 of 3 allowed per 60 s".Length..]);
        var throttled = Assert.Single(app.Logs.WithEventId(2004));
        Assert.Contains(Attacker, throttled.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_never_contain_a_key()
    {
        await using var app = await StartAsync(limit: 3);
        await app.StatusesAsync(Attacker, WrongKey, 5);
        await app.StatusesAsync(Operator, ReadOnlyKey, 5);
        await app.SendAsync(Attacker, RightKey);

        var text = app.Logs.AllText();

        Assert.NotEmpty(app.Logs.WithEventId(2003));
        Assert.All(new[] { WrongKey, ReadOnlyKey, RightKey }, key => Assert.DoesNotContain(key, text, StringComparison.Ordinal));
        Assert.All(new[] { WrongKey, ReadOnlyKey, RightKey }, key => Assert.DoesNotContain(Convert.ToHexString(Encoding.UTF8.GetBytes(key)), text, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Other_endpoints_of_the_application_are_never_throttled()
    {
        await using var app = await StartAsync(limit: 3);

        var statuses = await app.StatusesAsync(Attacker, WrongKey, 10, path: "/ops");
        var registry = await app.SendAsync(Attacker, RightKey);

        Assert.Equal(Enumerable.Repeat(401, 10), statuses);
        Assert.Equal(200, registry.StatusCode);
        Assert.Empty(app.Logs.WithEventId(2003));
    }

    [Fact]
    public async Task Limit_zero_turns_the_throttle_off()
    {
        await using var app = await StartAsync(limit: 0);

        var statuses = await app.StatusesAsync(Attacker, WrongKey, 20);

        Assert.Equal(Enumerable.Repeat(401, 20), statuses);
    }

    [Fact]
    public async Task Application_handler_registered_before_is_wrapped_and_still_runs()
    {
        await using var app = await ApiKeyWebApp.StartAsync(
            r => r.FailedAuthenticationLimit = 2,
            before: s => s.AddSingleton<IAuthorizationMiddlewareResultHandler, MarkingHandler>());

        var failed = await app.SendAsync(Attacker, WrongKey);
        await app.SendAsync(Attacker, WrongKey);
        var throttled = await app.SendAsync(Attacker, WrongKey);

        Assert.Equal((401, "yes"), (failed.StatusCode, failed.Headers[MarkingHandler.Header].ToString()));
        Assert.Equal(429, throttled.StatusCode);
    }

    [Fact]
    public async Task Application_handler_registered_after_fails_the_mapping_naming_the_setting()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ApiKeyWebApp.StartAsync(
            after: s => s.AddSingleton<IAuthorizationMiddlewareResultHandler, MarkingHandler>()));

        Assert.Contains("DependencyHealth:Registry:FailedAuthenticationLimit", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, 60, "DependencyHealth:Registry:FailedAuthenticationLimit: -1 is out of range: must be from 0 to 10000")]
    [InlineData(10_001, 60, "DependencyHealth:Registry:FailedAuthenticationLimit: 10001 is out of range: must be from 0 to 10000")]
    [InlineData(10, 0, "DependencyHealth:Registry:FailedAuthenticationWindow: 00:00:00 is out of range: must be from 00:00:01 to 01:00:00")]
    [InlineData(10, 3601, "DependencyHealth:Registry:FailedAuthenticationWindow: 01:00:01 is out of range: must be from 00:00:01 to 01:00:00")]
    public void Out_of_range_settings_are_validation_errors_naming_the_key(int limit, int windowSeconds, string expected)
    {
        var failures = StartupValidation.Failures(b => b.Services.Configure<DependencyHealthOptions>(o =>
            (o.Registry.FailedAuthenticationLimit, o.Registry.FailedAuthenticationWindow) = (limit, TimeSpan.FromSeconds(windowSeconds))));

        Assert.Equal([expected], failures);
    }

    /// <summary>An application's own handler: marks the response, then does what the default handler does.</summary>
    private sealed class MarkingHandler : IAuthorizationMiddlewareResultHandler
    {
        public const string Header = "X-App-Handler";

        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            context.Response.Headers[Header] = "yes";
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }
    }
}
