using DepHealth.AspNetCore.State;

namespace DepHealth.AspNetCore.Metrics;

/// <summary>The endpoints of one scrape and their snapshots; its arrays are kept for later scrapes.</summary>
internal sealed class ExpositionScrape(int capacity, int bucketsPerEntry)
{
    public (EndpointEntry Entry, EndpointSnapshot State)[] Entries { get; } = new (EndpointEntry, EndpointSnapshot)[capacity];

    /// <summary>Endpoints the arrays have room for.</summary>
    public int Capacity => Entries.Length;

    public long[] Buckets { get; } = new long[capacity * bucketsPerEntry];

    public int Count { get; set; }
}
