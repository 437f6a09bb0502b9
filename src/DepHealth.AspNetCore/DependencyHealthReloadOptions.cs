namespace DepHealth.AspNetCore;

/// <summary>
/// How configuration reloads are applied, bound from <c>DependencyHealth:Reload</c>. A change of the configuration is
/// applied once it has been quiet for <see cref="Debounce"/>, and never sooner than <see cref="MinInterval"/> after
/// the previous reload; a change that arrives inside that window is applied when the window ends.
/// </summary>
public sealed class DependencyHealthReloadOptions
{
    /// <summary>Whether configuration changes are applied while the application runs. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Quiet time after the last change before a reload, so a burst of writes is one reload. Default 2 s, 0 to 5 min.</summary>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Minimum time between two reloads, so a flapping source cannot thrash the scheduler. Default 10 s, 0 to 1 h.</summary>
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromSeconds(10);
}
