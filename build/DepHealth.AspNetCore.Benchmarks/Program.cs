using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DepHealth.AspNetCore.Benchmarks;
using DepHealth.AspNetCore.Benchmarks.Infrastructure;
using DepHealth.AspNetCore.Benchmarks.Scenarios;
using DepHealth.AspNetCore.LoadTesting;

// Usage: DepHealth.AspNetCore.Benchmarks [--quick] [--alloc-profile] [--out results.json] [scenario...]; no scenario
// runs all of them but the opt-in ones (peer: it needs the real servers). Each scenario runs in a process of its own
// (--child), so that no scenario inherits another's JIT state, pools or garbage; the peer scenario's applications run
// as --peer-app MODE SECONDS COPIES.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args is ["--peer-app", var mode, var interval, var copies])
{
    return await PeerApp.RunAsync(mode, interval, copies);
}

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
    ("load-held", LoadHeldScenario.RunAsync),
    ("peer", PeerScenario.RunAsync),
};

// Run only when named.
string[] optIn = ["peer"];

var output = "artifacts/bench/results.json";
var child = false;
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
        case "--child":
            child = true;
            break;
        case "--out":
            output = args[++i];
            break;
        default:
            if (!scenarios.Any(s => s.Name == args[i]))
            {
                Console.Error.WriteLine($"unknown scenario '{args[i]}'; known: {string.Join(' ', scenarios.Select(s => s.Name))} (and 'quick'; {string.Join(' ', optIn)} only when named)");
                return 2;
            }

            selected.Add(args[i]);
            break;
    }
}

var results = new JsonArray();
var total = Stopwatch.StartNew();
if (!child)
{
    Console.WriteLine($"[bench] mode {(Bench.Quick ? "quick" : "full")}, {Environment.ProcessorCount} cores, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}, load average {MachineLoad.Average()}");
}

foreach (var (name, run) in scenarios)
{
    if (selected.Count > 0 ? !selected.Contains(name) : optIn.Contains(name))
    {
        continue;
    }

    if (child)
    {
        results.Add(await RunHereAsync(name, run));
    }
    else
    {
        foreach (var node in await RunInChildAsync(name))
        {
            results.Add(node?.DeepClone());
        }
    }
}

if (!child)
{
    PrintTable(results);
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
await File.WriteAllTextAsync(output, results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
if (!child)
{
    Console.WriteLine($"[bench] wrote {output} in {total.Elapsed.TotalSeconds:F0} s total; {results.Count(r => r?["met"]?.GetValue<bool>() == true)}/{results.Count} targets met; load average now {MachineLoad.Average()}");
}

return 0;

static async Task<JsonObject> RunHereAsync(string name, Func<Task<ScenarioResult>> run)
{
    Console.WriteLine($"[bench] {name} ...");
    var watch = Stopwatch.StartNew();
    ScenarioResult result;
    using (var profiler = Bench.ProfileAllocations ? new AllocationProfiler() : null)
    {
        try
        {
            result = await run();
        }
        catch (Exception exception)
        {
            result = new ScenarioResult(name, double.NaN, "", "", false) { Note = $"failed: {exception}" };
        }

        result.With("scenario_seconds", Math.Round(watch.Elapsed.TotalSeconds, 1));
        Console.WriteLine($"[bench] {name}: {Bench.Format(result.Value)} {result.Unit} (target {result.Target}) {(result.Met ? "met" : "NOT MET")} in {watch.Elapsed.TotalSeconds:F0} s");
        foreach (var (key, value) in result.Extra)
        {
            Console.WriteLine($"          {key} = {Bench.Format(value)}");
        }

        if (result.Note is not null)
        {
            Console.WriteLine($"          note: {result.Note}");
        }

        profiler?.Print();
    }

    var node = new JsonObject
    {
        ["name"] = result.Name,
        ["value"] = double.IsFinite(result.Value) ? Math.Round(result.Value, 4) : null,
        ["unit"] = result.Unit,
        ["target"] = result.Target,
        ["met"] = result.Met,
        ["mode"] = Bench.Quick ? "quick" : "full",
    };
    foreach (var (key, value) in result.Extra)
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

    if (result.Note is not null)
    {
        node["note"] = result.Note;
    }

    return node;
}

static async Task<JsonArray> RunInChildAsync(string name)
{
    var file = Path.Combine(Path.GetTempPath(), $"dephealth-bench-{Environment.ProcessId}-{name}.json");
    var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
    {
        start.ArgumentList.Add(typeof(Bench).Assembly.Location);
    }

    foreach (var arg in new[] { "--child", "--out", file, name })
    {
        start.ArgumentList.Add(arg);
    }

    if (Bench.Quick)
    {
        start.ArgumentList.Add("--quick");
    }

    if (Bench.ProfileAllocations)
    {
        start.ArgumentList.Add("--alloc-profile");
    }

    using var process = Process.Start(start)!;
    await process.WaitForExitAsync();
    if (process.ExitCode != 0 || !File.Exists(file))
    {
        return [new JsonObject { ["name"] = name, ["value"] = null, ["target"] = "", ["met"] = false, ["note"] = $"the scenario's process exited with {process.ExitCode}" }];
    }

    var array = JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsArray();
    File.Delete(file);
    return array;
}

static void PrintTable(JsonArray results)
{
    Console.WriteLine();
    Console.WriteLine("| scenario | value | target | met | key numbers |");
    Console.WriteLine("| --- | --- | --- | --- | --- |");
    string[] fixedKeys = ["name", "value", "unit", "target", "met", "mode", "note", "scenario_seconds"];
    foreach (var node in results)
    {
        var r = node!.AsObject();
        var value = r["value"] is JsonValue v ? Bench.Format(v.GetValue<double>()) : "n/a";
        var extras = r.Where(p => !fixedKeys.Contains(p.Key)).Take(6)
            .Select(p => $"{p.Key} {(p.Value is JsonValue jv && jv.TryGetValue<double>(out var d) ? Bench.Format(d) : p.Value?.ToString() ?? "null")}");
        var met = r["met"]?.GetValue<bool>() == true;
        Console.WriteLine($"| {r["name"]} | {value} {r["unit"]} | {r["target"]} | {(met ? "yes" : "**no**")} | {string.Join(", ", extras)} |");
    }
}
