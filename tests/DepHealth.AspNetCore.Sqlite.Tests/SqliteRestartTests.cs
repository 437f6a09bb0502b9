using System.Net;
using System.Text.Json;
using DepHealth.AspNetCore.Sqlite.Tests.Infrastructure;
using static DepHealth.AspNetCore.Sqlite.Tests.Infrastructure.SampleInstance;

namespace DepHealth.AspNetCore.Sqlite.Tests;

/// <summary>The sample with <c>Registry:Store=sqlite</c>: runtime endpoints survive a restart (a new factory on the same file).</summary>
[Trait("Category", "integration")]
public sealed class SqliteRestartTests
{
    private static string Endpoint(int port, string extra = "") =>
        $"{{\"dependency\":\"storage\",\"type\":\"tcp\",\"host\":\"127.0.0.1\",\"port\":{port},\"critical\":false,\"labels\":{{\"role\":\"node\"}}{extra}}}";

    private static Task<string> DetailsAsync(HttpClient client) => client.GetStringAsync(new Uri("/health/details", UriKind.Relative));

    private static async Task<string> RegisteredAsync(HttpClient client, int port)
    {
        using var response = await client.GetAsync(new Uri($"/admin/endpoints/storage/127.0.0.1/{port}", UriKind.Relative));
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : $"{(int)response.StatusCode}";
    }

    [Fact]
    public async Task Endpoint_added_through_the_api_is_monitored_again_after_a_restart_with_the_same_spec()
    {
        using var file = new SqliteFile();
        await using var listener = new SilentListener();
        var key = $"\"storage:127.0.0.1:{listener.Port}\"";
        string before;
        await using (var first = new SampleInstance(file.Path))
        {
            using var admin = first.AdminClient();
            using var added = await admin.PostAsync(new Uri("/admin/endpoints", UriKind.Relative), Json(Endpoint(listener.Port, ",\"checkInterval\":\"00:00:02\"")));
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
            before = await RegisteredAsync(admin, listener.Port);
        }

        await using var second = new SampleInstance(file.Path);
        using var client = second.AdminClient();
        var accepts = listener.Accepts;
        await Eventually.ValueAsync(() => DetailsAsync(client), d => d.Contains(key, StringComparison.Ordinal) && d.Contains("\"healthy\":true", StringComparison.Ordinal), "the restarted app monitors the stored endpoint");
        await Eventually.TrueAsync(() => listener.Accepts > accepts, "the restarted app's check reached the listener");
        Assert.Equal(before, await RegisteredAsync(client, listener.Port));
        Assert.Contains("\"checkInterval\":\"00:00:02\"", before, StringComparison.Ordinal);
        Assert.Contains("\"source\":\"runtime\"", before, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_made_before_a_restart_is_the_spec_after_it()
    {
        using var file = new SqliteFile();
        await using var listener = new SilentListener();
        await using (var first = new SampleInstance(file.Path))
        {
            using var admin = first.AdminClient();
            using var added = await admin.PostAsync(new Uri("/admin/endpoints", UriKind.Relative), Json(Endpoint(listener.Port)));
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
            using var updated = await admin.PutAsync(new Uri($"/admin/endpoints/storage/127.0.0.1/{listener.Port}", UriKind.Relative), Json(Endpoint(listener.Port, ",\"failureThreshold\":3")));
            Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        }

        await using var second = new SampleInstance(file.Path);
        using var client = second.AdminClient();
        var registered = await RegisteredAsync(client, listener.Port);
        Assert.Equal(3, JsonDocument.Parse(registered).RootElement.GetProperty("failureThreshold").GetInt32());
    }

    [Fact]
    public async Task Delete_made_before_a_restart_stays_deleted()
    {
        using var file = new SqliteFile();
        await using var listener = new SilentListener();
        await using (var first = new SampleInstance(file.Path))
        {
            using var admin = first.AdminClient();
            using var added = await admin.PostAsync(new Uri("/admin/endpoints", UriKind.Relative), Json(Endpoint(listener.Port)));
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
            using var deleted = await admin.DeleteAsync(new Uri($"/admin/endpoints/storage/127.0.0.1/{listener.Port}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Empty(file.Rows());
        await using var second = new SampleInstance(file.Path);
        using var client = second.AdminClient();
        Assert.Equal("404", await RegisteredAsync(client, listener.Port));
        Assert.Equal("{}", await DetailsAsync(client));
    }

    [Fact]
    public async Task Added_endpoint_is_committed_to_the_file_before_the_api_answers()
    {
        using var file = new SqliteFile();
        await using var listener = new SilentListener();
        await using var app = new SampleInstance(file.Path);
        using var admin = app.AdminClient();
        using var added = await admin.PostAsync(new Uri("/admin/endpoints", UriKind.Relative), Json(Endpoint(listener.Port)));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);

        // Read by another connection right after the answer: only a committed transaction is visible to it.
        var row = Assert.Single(file.Rows());
        Assert.Equal($"storage:127.0.0.1:{listener.Port}", row.Key);
        Assert.Contains("\"role\":\"node\"", row.Value, StringComparison.Ordinal);
    }
}
