using System.Diagnostics.Tracing;

namespace DepHealth.AspNetCore.Benchmarks.Infrastructure;

/// <summary>
/// Samples allocations by type in process (the runtime's GC AllocationTick event, about one per 100 KB allocated):
/// <c>--alloc-profile</c> prints the top types per scenario, the profile behind the optimisations in BENCHMARKS.md.
/// </summary>
internal sealed class AllocationProfiler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly Dictionary<string, long> _bytesByType = new(StringComparer.Ordinal);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null)
        {
            return;
        }

        var typeIndex = eventData.PayloadNames?.IndexOf("TypeName") ?? -1;
        var amountIndex = eventData.PayloadNames?.IndexOf("AllocationAmount64") ?? -1;
        var type = typeIndex >= 0 ? eventData.Payload[typeIndex] as string ?? "?" : "?";
        var amount = amountIndex >= 0 ? Convert.ToInt64(eventData.Payload[amountIndex], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        lock (_bytesByType)
        {
            _bytesByType[type] = _bytesByType.GetValueOrDefault(type) + amount;
        }
    }

    public void Print(int top = 15)
    {
        lock (_bytesByType)
        {
            var total = Math.Max(1, _bytesByType.Values.Sum());
            Console.WriteLine($"          allocation profile (sampled, {total / 1024 / 1024} MB):");
            foreach (var (type, bytes) in _bytesByType.OrderByDescending(p => p.Value).Take(top))
            {
                Console.WriteLine($"            {bytes * 100.0 / total,5:F1}%  {type}");
            }
        }
    }
}
