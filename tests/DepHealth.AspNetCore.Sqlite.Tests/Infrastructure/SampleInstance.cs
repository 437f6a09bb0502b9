using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DepHealth.AspNetCore.Sqlite.Tests.Infrastructure;

/// <summary>The sample in-process (WebApplicationFactory) with <c>Registry:Store=sqlite</c> on <paramref name="path"/>, checking every second.</summary>
public sealed class SampleInstance(string path) : WebApplicationFactory<Program>
{
    public const string ApiKey = "sqlite-test-key";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Admin:ApiKey", ApiKey);
        builder.UseSetting("DependencyHealth:Registry:Store", "sqlite");
        builder.UseSetting("Sqlite:Path", path);
        builder.UseSetting("DependencyHealth:CheckInterval", "00:00:01");
        builder.UseSetting("DependencyHealth:Timeout", "00:00:00.5");
        builder.UseSetting("DependencyHealth:InitialDelay", "00:00:00");
    }

    public HttpClient AdminClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
}
