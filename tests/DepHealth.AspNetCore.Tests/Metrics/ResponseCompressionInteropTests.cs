using System.IO.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;

namespace DepHealth.AspNetCore.Tests.Metrics;

/// <summary>An application that also uses ASP.NET Core's response compression gets /metrics compressed once, not twice.</summary>
[Trait("Category", "unit")]
public sealed class ResponseCompressionInteropTests
{
    [Fact]
    public async Task Response_compression_middleware_leaves_the_gzip_body_alone()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddResponseCompression(o => o.Providers.Add<GzipCompressionProvider>());
        builder.Services.AddDependencyHealth(new ConfigurationBuilder().Build(), o => (o.Name, o.Group) = ("app", "team"));
        await using var app = builder.Build();
        app.UseResponseCompression();
        app.MapDependencyHealthMetrics();
        await app.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");

        using var response = await app.GetTestClient().SendAsync(request);
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.StartsWith("# HELP app_dependency_registry_changes_total ", await reader.ReadToEndAsync(), StringComparison.Ordinal);
        await app.StopAsync();
    }
}
