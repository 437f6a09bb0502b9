namespace DepHealth.AspNetCore.TestKit;

/// <summary>The two questions tests ask of captured logs: the records of one event id, and all text for secret scans.</summary>
public static class FakeLogQueries
{
    public static IReadOnlyList<FakeLogRecord> Records(this FakeLoggerProvider logs) => logs.Collector.GetSnapshot();

    public static IReadOnlyList<FakeLogRecord> WithEventId(this FakeLoggerProvider logs, int id) =>
        logs.Collector.GetSnapshot().Where(record => record.Id.Id == id).ToList();

    public static string AllText(this FakeLoggerProvider logs) =>
        string.Join("\n", logs.Collector.GetSnapshot().Select(r => $"{r.Category} {r.Level} {r.Message} {r.Exception}"));
}
