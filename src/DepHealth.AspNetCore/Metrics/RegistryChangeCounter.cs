using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace DepHealth.AspNetCore.Metrics;

/// <summary>Counts registry changes by operation and result, for <c>app_dependency_registry_changes_total</c>.</summary>
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

    private readonly ConcurrentDictionary<(string Operation, string Result), StrongBox> _counts = new();
    private readonly Counter<long> _instrument;

    public RegistryChangeCounter(DependencyHealthMeter meter)
    {
        _instrument = meter.RegistryChanges;

        // Successful operations exist from the start so that rate() works before the first change.
        foreach (var operation in new[] { Add, Remove, Update })
        {
            _counts[(operation, Success)] = new StrongBox();
        }
    }

    public void Increment(string operation, string result)
    {
        var box = _counts.GetOrAdd((operation, result), static _ => new StrongBox());
        Interlocked.Increment(ref box.Value);
        _instrument.Add(1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("result", result));
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

    private sealed class StrongBox
    {
        public long Value;
    }
}
