using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace DepHealth.AspNetCore.LoadDriver;

/// <summary>
/// The requests of one kind (probes or scrapes) in one phase. Each request has a sequence number given by the schedule
/// and writes only its own slots, so recording needs no lock.
/// </summary>
internal sealed class RequestStats(string name, double rate, double seconds)
{
    private const int MaxErrorSamples = 5;

    private readonly int _capacity = (int)Math.Ceiling(rate * seconds) + 1;
    private double[] _fromScheduledMs = [];
    private double[] _fromSendMs = [];
    private long[] _bytes = [];
    private long[] _lines = [];
    private bool[] _completed = [];
    private readonly ConcurrentDictionary<string, int> _errors = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _errorSamples = new();
    private int _offered;

    public string Name { get; } = name;

    public double Rate { get; } = rate;

    /// <summary>The most requests scheduled that the schedule can hold.</summary>
    public int Capacity => _capacity;

    public int Offered => Volatile.Read(ref _offered);

    /// <summary>Allocates the slots up front, so that recording allocates nothing.</summary>
    public void Prepare()
    {
        _fromScheduledMs = new double[_capacity];
        _fromSendMs = new double[_capacity];
        _bytes = new long[_capacity];
        _lines = new long[_capacity];
        _completed = new bool[_capacity];
    }

    public void Scheduled() => Interlocked.Increment(ref _offered);

    public void Completed(int sequence, long due, long sent, long done, long bytes, long lines)
    {
        _fromScheduledMs[sequence] = Ms(due, done);
        _fromSendMs[sequence] = Ms(sent, done);
        _bytes[sequence] = bytes;
        _lines[sequence] = lines;
        Volatile.Write(ref _completed[sequence], true);
    }

    public void Failed(string kind, string message)
    {
        _errors.AddOrUpdate(kind, 1, static (_, count) => count + 1);
        if (_errorSamples.Count < MaxErrorSamples)
        {
            _errorSamples.Enqueue($"{Name} {kind}: {message}");
        }
    }

    public IEnumerable<string> ErrorSamples => _errorSamples;

    public void Write(Utf8JsonWriter json, double seconds)
    {
        var fromScheduled = new List<double>(_capacity);
        var fromSend = new List<double>(_capacity);
        var bytes = new List<long>(_capacity);
        var lines = new List<long>(_capacity);
        for (var i = 0; i < Offered; i++)
        {
            if (Volatile.Read(ref _completed[i]))
            {
                fromScheduled.Add(_fromScheduledMs[i]);
                fromSend.Add(_fromSendMs[i]);
                bytes.Add(_bytes[i]);
                lines.Add(_lines[i]);
            }
        }

        json.WriteStartObject(Name);
        json.WriteNumber("offered", Offered);
        json.WriteNumber("completed", fromScheduled.Count);
        json.WriteNumber("errors", _errors.Values.Sum());
        json.WriteStartObject("error_kinds");
        foreach (var (kind, count) in _errors.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            json.WriteNumber(kind, count);
        }

        json.WriteEndObject();
        json.WriteNumber("target_rate", Rate);
        json.WriteNumber("offered_rate", Round(Offered / seconds));
        json.WriteNumber("achieved_rate", Round(fromScheduled.Count / seconds));
        WriteLatencies(json, "latency_from_scheduled_ms", fromScheduled);
        WriteLatencies(json, "latency_from_send_ms", fromSend);
        json.WriteNumber("bytes_min", bytes.Count == 0 ? 0 : bytes.Min());
        json.WriteNumber("bytes_max", bytes.Count == 0 ? 0 : bytes.Max());
        json.WriteNumber("bytes_mean", bytes.Count == 0 ? 0 : Math.Round(bytes.Average()));
        json.WriteNumber("lines_min", lines.Count == 0 ? 0 : lines.Min());
        json.WriteNumber("lines_max", lines.Count == 0 ? 0 : lines.Max());
        WriteWorstPerSecond(json, seconds);
        json.WriteEndObject();
    }

    /// <summary>The slowest request (from its due time) of each second of the schedule: shows whether slow ones cluster.</summary>
    private void WriteWorstPerSecond(Utf8JsonWriter json, double seconds)
    {
        var worst = new double[(int)Math.Ceiling(seconds)];
        for (var i = 0; i < Offered; i++)
        {
            if (Volatile.Read(ref _completed[i]))
            {
                var second = Math.Min(worst.Length - 1, (int)(i / Rate));
                worst[second] = Math.Max(worst[second], _fromScheduledMs[i]);
            }
        }

        json.WriteStartArray("worst_ms_per_second");
        foreach (var value in worst)
        {
            json.WriteNumberValue(Math.Round(value, 1));
        }

        json.WriteEndArray();
    }

    private static void WriteLatencies(Utf8JsonWriter json, string name, List<double> values)
    {
        values.Sort();
        json.WriteStartObject(name);
        json.WriteNumber("p50", Round(Percentile(values, 50)));
        json.WriteNumber("p90", Round(Percentile(values, 90)));
        json.WriteNumber("p99", Round(Percentile(values, 99)));
        json.WriteNumber("p999", Round(Percentile(values, 99.9)));
        json.WriteNumber("max", Round(values.Count == 0 ? 0 : values[^1]));
        json.WriteEndObject();
    }

    /// <summary>The nearest-rank percentile of sorted values (0 when there are none).</summary>
    private static double Percentile(List<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    private static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    private static double Round(double value) => Math.Round(value, 3);
}
