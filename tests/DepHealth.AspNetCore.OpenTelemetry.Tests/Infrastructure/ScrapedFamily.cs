namespace DepHealth.AspNetCore.OpenTelemetry.Tests.Infrastructure;

/// <summary>One sample line: its metric name, its labels in the order they were written, its value.</summary>
public sealed record ScrapedSample(string Name, IReadOnlyList<KeyValuePair<string, string>> Labels, double Value)
{
    public string? Label(string name) => Labels.FirstOrDefault(l => l.Key == name).Value;

    /// <summary>The sample's identity without the given labels, labels sorted by name: equal series compare equal.</summary>
    public string Key(params string[] without) =>
        Name + "{" + string.Join(',', Labels.Where(l => !without.Contains(l.Key)).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}";
}

/// <summary>One metric family of a text exposition: its HELP and TYPE, the order those lines came in, and its samples.</summary>
public sealed record ScrapedFamily(string Name)
{
    public string? Help { get; set; }

    public string? Type { get; set; }

    /// <summary>The metadata keywords in the order they were written, e.g. <c>["HELP", "TYPE"]</c>.</summary>
    public List<string> MetadataOrder { get; } = [];

    public List<ScrapedSample> Samples { get; } = [];
}
