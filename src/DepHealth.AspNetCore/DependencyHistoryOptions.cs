namespace DepHealth.AspNetCore;

/// <summary>
/// How many results each endpoint keeps and when it counts as flapping, bound from <c>DependencyHealth:History</c>.
/// The history is a fixed-size ring per endpoint, so memory stays bounded whatever the uptime.
/// </summary>
public sealed class DependencyHistoryOptions
{
    /// <summary>The default of <see cref="Size"/>.</summary>
    public const int DefaultSize = 120;

    /// <summary>The default of <see cref="FlapThreshold"/>.</summary>
    public const int DefaultFlapThreshold = 5;

    /// <summary>The most recent results kept per endpoint (time, health, status, detail, latency). Default 120, 1 to 10,000.</summary>
    public int Size { get; set; } = DefaultSize;

    /// <summary>
    /// An endpoint whose health changed more than this many times among its kept results is flapping: details show
    /// <c>"flapping": true</c> and <c>app_dependency_flaps_total</c> counts each time it starts. Default 5, 1 to 10,000.
    /// </summary>
    public int FlapThreshold { get; set; } = DefaultFlapThreshold;

    /// <summary>
    /// How often each endpoint's kept results are written to a durable registry store (<c>sqlite</c>), so that details
    /// and the status page show them again after a restart; also once at shutdown. Only endpoints checked since the last
    /// write are written. Default 30 s, 1 s to 1 h; the <c>memory</c> and <c>etcd</c> stores keep no history.
    /// </summary>
    public TimeSpan SaveInterval { get; set; } = TimeSpan.FromSeconds(30);
}
