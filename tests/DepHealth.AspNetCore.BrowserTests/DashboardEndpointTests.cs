using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using DepHealth.AspNetCore.BrowserTests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.BrowserTests;

/// <summary>What the status page's endpoints answer over HTTP, without a browser.</summary>
[Trait("Category", "browser")]
public sealed class DashboardEndpointTests
{
    private static Task<KestrelApp> StartProtectedAsync() => KestrelApp.StartAsync(
        services: s =>
        {
            s.AddAuthentication("header").AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>("header", null);
            s.AddAuthorization();
        },
        map: a =>
        {
            a.UseAuthentication();
            a.UseAuthorization();
            a.MapDependencyHealthDetails().RequireAuthorization();
            a.MapDependencyHealthDashboard().RequireAuthorization();
        });

    [Theory]
    [InlineData("health/ui")]
    [InlineData("health/ui/app.js")]
    [InlineData("health/ui/app.css")]
    public async Task RequireAuthorization_protects_the_page_and_its_assets(string path)
    {
        await using var app = await StartProtectedAsync();

        using var anonymous = await app.Client.GetAsync(new Uri(path, UriKind.Relative));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("X-User", "operator");
        using var authenticated = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, authenticated.StatusCode);
    }

    [Fact]
    public async Task Page_points_at_the_details_path_under_the_path_base()
    {
        await using var app = await KestrelApp.StartAsync(map: a =>
        {
            a.UsePathBase("/ops");
            a.MapDependencyHealthDetails("/deps/details");
            a.MapDependencyHealthDashboard("/deps/ui", "/deps/details");
        });

        var html = await app.Client.GetStringAsync(new Uri("ops/deps/ui", UriKind.Relative));

        Assert.Contains("data-details=\"/ops/deps/details\"", html, StringComparison.Ordinal);
        Assert.Contains("src=\"/ops/deps/ui/app.js\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/ops/deps/ui/app.css\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assets_answer_304_when_the_browser_has_them()
    {
        await using var app = await KestrelApp.StartAsync();
        using var first = await app.Client.GetAsync(new Uri("health/ui/app.js", UriKind.Relative));
        using var again = new HttpRequestMessage(HttpMethod.Get, new Uri("health/ui/app.js", UriKind.Relative));
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var second = await app.Client.SendAsync(again);

        Assert.Equal("text/javascript", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task Page_and_assets_reference_no_other_origin()
    {
        await using var app = await KestrelApp.StartAsync();

        foreach (var path in new[] { "health/ui", "health/ui/app.js", "health/ui/app.css" })
        {
            var body = await app.Client.GetStringAsync(new Uri(path, UriKind.Relative));
            // The only absolute URL allowed is the SVG namespace, an identifier that is never fetched.
            var urls = System.Text.RegularExpressions.Regex.Matches(body, @"(https?:)?//[a-zA-Z0-9.-]+\.[a-z]{2,}[^\s'"")]*")
                .Select(m => m.Value).Where(u => u != "http://www.w3.org/2000/svg").ToArray();
            Assert.True(urls.Length == 0, $"{path} references {string.Join(", ", urls)}");
        }
    }

    private sealed class HeaderAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var user = Request.Headers["X-User"].ToString();
            return Task.FromResult(user.Length == 0
                ? AuthenticateResult.NoResult()
                : AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], "header")), "header")));
        }
    }
}
