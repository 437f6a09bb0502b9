namespace DepHealth.AspNetCore.Benchmarks.Infrastructure;

/// <summary>One scenario's outcome: the number its target names, the target as text, and every other number measured.</summary>
internal sealed class ScenarioResult(string name, double value, string unit, string target, bool met)
{
    public string Name { get; } = name;

    public double Value { get; } = value;

    public string Unit { get; } = unit;

    public string Target { get; } = target;

    public bool Met { get; } = met;

    /// <summary>Further measured and baseline numbers, in insertion order.</summary>
    public List<KeyValuePair<string, object>> Extra { get; } = [];

    public string? Note { get; set; }

    public ScenarioResult With(string key, object value)
    {
        Extra.Add(new(key, value is double d ? Math.Round(d, 4) : value));
        return this;
    }
}
