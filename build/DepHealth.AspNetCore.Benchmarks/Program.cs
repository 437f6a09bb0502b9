using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DepHealth.AspNetCore.Benchmarks;
using DepHealth.AspNetCore.Benchmarks.Infrastructure;
using DepHealth.AspNetCore.Benchmarks.Scenarios;

// Usage: DepHealth.AspNetCore.Benchmarks [--quick] [--out results.json] [scenario...]; no scenario runs all of them.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var scenarios = new (string Name, Func<Task<ScenarioResult>> Run)[]
{
    ("probe-throughput", ProbeScenarios.ThroughputAsync),
    ("probe-hung-dependency", ProbeScenarios.HungDependencyAsync),
    ("scheduler-overhead", SchedulerScenario.RunAsync),
    ("concurrency", ConcurrencyScenario.RunAsync),
    ("scrape", ScrapeScenario.RunAsync),
    ("details-query", DetailsScenario.RunAsync),
    ("memory", MemoryScenario.RunAsync),
    ("detection", DetectionScenario.RunAsync),
    ("churn", ChurnScenario.RunAsync),
};

var output = "artifacts/bench/results.json";
var selected = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--quick" or "quick":
            Bench.Quick = true;
            break;
        case "--alloc-profile":
            Bench.ProfileAllocations = true;
            break;
        case "--out":
            output = args[++i];
            break;
        default:
            if (!scenarios.Any(s => s.Name == args[i]))
            {
                Console.Error.WriteLine($"unknown scenario '{args[i]}'; known: {string.Join(' ', scenarios.Select(s => s.Name))} (and 'quick')");
                return 2;
            }

            selected.Add(args[i]);
            break;
    }
}

var results = new List<ScenarioResult>();
var total = Stopwatch.StartNew();
Console.WriteLine($"[bench] mode {(Bench.Quick ? "quick" : "full")}, {Environment.ProcessorCount} cores, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}");
foreach (var (name, run) in scenarios)
{
    if (selected.Count > 0 && !selected.Contains(name))
    {
        continue;
    }

    Console.WriteLine($"[bench] {name} ...");
    var watch = Stopwatch.StartNew();
    ScenarioResult result;
    using var profiler = Bench.ProfileAllocations ? new AllocationProfiler() : null;
    try
    {
        result = await run();
    }
    catch (Exception exception)
    {
        result = new ScenarioResult(name, double.NaN, "", "", false) { Note = $"failed: {exception}" };
    }

    result.With("scenario_seconds", Math.Round(watch.Elapsed.TotalSeconds, 1));
    results.Add(result);
    Console.WriteLine($"[bench] {name}: {Bench.Format(result.Value)} {result.Unit} (target {result.Target}) {(result.Met ? "met" : "NOT MET")} in {watch.Elapsed.TotalSeconds:F0} s");
    foreach (var (key, value) in result.Extra)
    {
        Console.WriteLine($"          {key} = {value}");
    }

    if (result.Note is not null)
    {
        Console.WriteLine($"          note: {result.Note}");
    }

    profiler?.Print();

    // Leave no garbage or background work from one scenario to the next.
    Stats.ManagedMemory();
}

Console.WriteLine();
Console.WriteLine($"| scenario | value | target | met | key numbers |");
Console.WriteLine($"| --- | --- | --- | --- | --- |");
foreach (var r in results)
{
    var key = string.Join(", ", r.Extra.Take(6).Select(e => $"{e.Key} {Bench.Format(e.Value)}"));
    Console.WriteLine($"| {r.Name} | {Bench.Format(r.Value)} {r.Unit} | {r.Target} | {(r.Met ? "yes" : "**no**")} | {key} |");
}

var array = new JsonArray();
foreach (var r in results)
{
    var node = new JsonObject
    {
        ["name"] = r.Name,
        ["value"] = double.IsFinite(r.Value) ? Math.Round(r.Value, 4) : null,
        ["unit"] = r.Unit,
        ["target"] = r.Target,
        ["met"] = r.Met,
        ["mode"] = Bench.Quick ? "quick" : "full",
    };
    foreach (var (key, value) in r.Extra)
    {
        node[key] = value switch
        {
            double d => double.IsFinite(d) ? JsonValue.Create(d) : null,
            long l => JsonValue.Create(l),
            int i => JsonValue.Create(i),
            bool b => JsonValue.Create(b),
            _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
        };
    }

    if (r.Note is not null)
    {
        node["note"] = r.Note;
    }

    array.Add(node);
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
await File.WriteAllTextAsync(output, array.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
Console.WriteLine($"[bench] wrote {output} in {total.Elapsed.TotalSeconds:F0} s total; {results.Count(r => r.Met)}/{results.Count} targets met");
return 0;
