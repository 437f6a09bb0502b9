using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace DepHealth.AspNetCore.Telemetry;

/// <summary>
/// Counts registry changes by operation and result: the one count that <c>app_dependency_registry_changes_total</c>
/// prints and the meter's <c>app_dependency_registry_changes</c> observes.
/// </summary>
internal sealed class RegistryChangeCounter
{
    public const string Add = "add";
    public const string Remove = "remove";
    public const string Update = "update";

    public const string Success = "success";
    public const string Unchanged = "unchanged";
    public const string NotFound = "not_found";
    public const string Conflict = "conflict";
    public const string Invalid = "invalid";
    public const string Failed = "error";
    public const string Unavailable = "unavailable";

    private readonly ConcurrentDictionary<(string Operation, string Result), Count> _counts = new();

    public RegistryChangeCounter(DependencyHealthMeter meter)
    {
        // Successful operations exist from the start so that rate() works before the first change.
        foreach (var operation in new[] { Add, Remove, Update })
        {
            _counts[(operation, Success)] = new Count(operation, Success);
        }

        meter.Meter.CreateObservableCounter(
            "app_dependency_registry_changes",
            Observe,
            description: "Changes applied to the endpoint registry");
    }

    public void Increment(string operation, string result)
    {
        var count = _counts.GetOrAdd((operation, result), static key => new Count(key.Operation, key.Result));
        Interlocked.Increment(ref count.Value);
    }

    /// <summary>The counts ordered by operation, then result.</summary>
    public List<(string Operation, string Result, long Count)> Snapshot()
    {
        var list = new List<(string, string, long)>(_counts.Count);
        foreach (var ((operation, result), box) in _counts)
        {
            list.Add((operation, result, Interlocked.Read(ref box.Value)));
        }

        list.Sort(static (a, b) =>
        {
            var byOperation = string.CompareOrdinal(a.Item1, b.Item1);
            return byOperation != 0 ? byOperation : string.CompareOrdinal(a.Item2, b.Item2);
        });
        return list;
    }

    private IEnumerable<Measurement<long>> Observe()
    {
        foreach (var count in _counts.Values)
        {
            yield return new Measurement<long>(Interlocked.Read(ref count.Value), count.Tags);
        }
    }

    /// <summary>One operation and result's count, with its meter tags made once.</summary>
    private sealed class Count(string operation, string result)
    {
        public long Value;

        public KeyValuePair<string, object?>[] Tags { get; } = [new("operation", operation), new("result", result)];
    }
}
