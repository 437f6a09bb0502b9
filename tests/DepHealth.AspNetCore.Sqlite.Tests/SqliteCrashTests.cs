using System.Collections.Concurrent;
using System.Net;
using DepHealth.AspNetCore.Sqlite.Tests.Infrastructure;
using static DepHealth.AspNetCore.Sqlite.Tests.Infrastructure.SampleInstance;

namespace DepHealth.AspNetCore.Sqlite.Tests;

/// <summary>The sample as its own process, killed with SIGKILL while clients keep adding endpoints through its API.</summary>
[Trait("Category", "integration")]
public sealed class SqliteCrashTests
{
    [Fact]
    public async Task Kill_9_during_writes_leaves_a_consistent_file_holding_every_acknowledged_endpoint()
    {
        using var file = new SqliteFile();
        var acknowledged = new ConcurrentBag<int>();
        using (var sample = await SampleProcess.StartAsync(file.Path))
        {
            using var stop = new CancellationTokenSource();
            var next = 10_000;

            // Four writers add endpoints as fast as the API takes them; the process is killed while they are in flight.
            async Task WriteAsync()
            {
                while (!stop.IsCancellationRequested)
                {
                    var port = Interlocked.Increment(ref next);
                    try
                    {
                        using var response = await sample.Client.PostAsync(
                            new Uri("admin/endpoints", UriKind.Relative),
                            Json($"{{\"dependency\":\"node\",\"type\":\"tcp\",\"host\":\"127.0.0.1\",\"port\":{port},\"critical\":false}}"));
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            acknowledged.Add(port);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the process is gone
                    }
                    catch (TaskCanceledException)
                    {
                        return;
                    }
                }
            }

            var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(WriteAsync)).ToArray();
            await Eventually.TrueAsync(() => acknowledged.Count >= 60, $"the API acknowledged 60 additions ({sample.Output})", TimeSpan.FromSeconds(60));
            await sample.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        Assert.Equal("ok", file.IntegrityCheck());
        var rows = file.Rows();
        var missing = acknowledged.Where(p => !rows.ContainsKey($"node:127.0.0.1:{p}")).ToList();
        Assert.True(missing.Count == 0, $"acknowledged but not stored: {string.Join(", ", missing)}");

        // At most the writes in flight at the kill (one per writer) were committed without being acknowledged.
        Assert.InRange(rows.Count, acknowledged.Count, acknowledged.Count + 4);

        // And the file opens again: a restarted app monitors every stored endpoint.
        await using var restarted = new SampleInstance(file.Path);
        using var client = restarted.AdminClient();
        var listing = await client.GetStringAsync(new Uri("/admin/endpoints", UriKind.Relative));
        Assert.Equal(rows.Count, System.Text.Json.JsonDocument.Parse(listing).RootElement.GetArrayLength());
    }
}
