using System.Globalization;

namespace DepHealth.AspNetCore.LoadDriver;

/// <summary>The driver's command line: <c>--name value</c> pairs, every one optional except <c>--base-url</c>.</summary>
internal sealed record DriverOptions
{
    public required Uri BaseUrl { get; init; }

    public string ProbePath { get; init; } = "/health/ready";

    /// <summary>Probes offered per second, on a fixed schedule whatever the responses do.</summary>
    public double ProbeRate { get; init; } = 1000;

    /// <summary>Connections the probes may use at once: enough that a slow response never holds back the schedule.</summary>
    public int ProbeConnections { get; init; } = 64;

    public string ScrapePath { get; init; } = "/metrics";

    /// <summary>Scrapes offered per second, on a fixed schedule.</summary>
    public double ScrapeRate { get; init; } = 10;

    public int ScrapeConnections { get; init; } = 8;

    /// <summary>Lines every scrape must have (0: not checked).</summary>
    public long ScrapeLines { get; init; }

    /// <summary>What the last line of every scrape must start with (empty: only the final newline is checked).</summary>
    public string ScrapeLastLinePrefix { get; init; } = "";

    /// <summary>Seconds of the same load before the measured window; then the driver waits for <c>go</c> on stdin.</summary>
    public double WarmUpSeconds { get; init; }

    public double DurationSeconds { get; init; } = 20;

    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan ScrapeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public static DriverOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"expected '--name value' pairs, got '{args[i]}'");
            }

            values[args[i][2..]] = args[++i];
        }

        string Text(string name, string fallback) => values.Remove(name, out var value) ? value : fallback;
        double Number(string name, double fallback, double min)
        {
            if (!values.Remove(name, out var text))
            {
                return fallback;
            }

            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min)
            {
                throw new ArgumentException($"--{name} must be a number of at least {min}, got '{text}'");
            }

            return value;
        }

        if (!values.Remove("base-url", out var baseUrl) || !Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri))
        {
            throw new ArgumentException("--base-url (an absolute http URL) is required");
        }

        var options = new DriverOptions
        {
            BaseUrl = uri,
            ProbePath = Text("probe-path", "/health/ready"),
            ProbeRate = Number("probe-rate", 1000, 0),
            ProbeConnections = (int)Number("probe-connections", 64, 1),
            ScrapePath = Text("scrape-path", "/metrics"),
            ScrapeRate = Number("scrape-rate", 10, 0),
            ScrapeConnections = (int)Number("scrape-connections", 8, 1),
            ScrapeLines = (long)Number("scrape-lines", 0, 0),
            ScrapeLastLinePrefix = Text("scrape-last-line-prefix", ""),
            WarmUpSeconds = Number("warmup", 0, 0),
            DurationSeconds = Number("duration", 20, 0.1),
        };
        if (values.Count > 0)
        {
            throw new ArgumentException($"unknown option(s): {string.Join(", ", values.Keys.Select(k => "--" + k))}");
        }

        return options;
    }
}
