namespace DepHealth.AspNetCore;

/// <summary>
/// Global options, bound from the <c>DependencyHealth</c> configuration section. Per-dependency settings
/// left unset inherit these. Validated at startup.
/// </summary>
public sealed class DependencyHealthOptions
{
    /// <summary>The configuration section bound by <c>AddDependencyHealth(IConfiguration)</c>.</summary>
    public const string SectionName = "DependencyHealth";

    /// <summary>The application name (<c>name</c> label); falls back to <c>DEPHEALTH_NAME</c>. Required.</summary>
    public string? Name { get; set; }

    /// <summary>The application's team or subsystem (<c>group</c> label); falls back to <c>DEPHEALTH_GROUP</c>. Required.</summary>
    public string? Group { get; set; }

    /// <summary>Time from the start of one check to the start of the next. Default 15 s, 1 s to 10 min.</summary>
    public TimeSpan CheckInterval { get; set; } = ContractLimits.DefaultCheckInterval;

    /// <summary>Time a check may take. Default 5 s, 100 ms to 30 s, less than the interval.</summary>
    public TimeSpan Timeout { get; set; } = ContractLimits.DefaultTimeout;

    /// <summary>Delay before the first check of endpoints configured at startup. Default 5 s, 0 to 5 min.</summary>
    public TimeSpan InitialDelay { get; set; } = ContractLimits.DefaultInitialDelay;

    /// <summary>Consecutive failures that turn a healthy endpoint unhealthy. Default 1, 1 to 10.</summary>
    public int FailureThreshold { get; set; } = 1;

    /// <summary>Consecutive successes that turn an unhealthy endpoint healthy. Default 1, 1 to 10.</summary>
    public int SuccessThreshold { get; set; } = 1;

    /// <summary>Checks in flight across the process at most. Default 256, 1 to 100,000.</summary>
    public int MaxConcurrentChecks { get; set; } = 256;

    /// <summary>
    /// Spreads the first checks of endpoints configured at startup: those with one interval start together in batches
    /// of at most 64, and more batches are spaced evenly over a tenth of the interval (at most 1 s), so that a large
    /// fleet does not fire in the same millisecond while a small one wakes once per interval. Default on.
    /// </summary>
    public bool SpreadFirstChecks { get; set; } = true;

    /// <summary>The runtime registry's host rules and API limits (<c>DependencyHealth:Registry</c>).</summary>
    public DependencyRegistryOptions Registry { get; } = new();

    /// <summary>The results kept per endpoint and flap detection (<c>DependencyHealth:History</c>).</summary>
    public DependencyHistoryOptions History { get; } = new();

    /// <summary>
    /// The dependencies monitored, by dependency name. Changes to this section while the application runs are applied
    /// by the configuration reloader (see <see cref="Reload"/>).
    /// </summary>
    public IDictionary<string, DependencyOptions> Dependencies { get; } =
        new Dictionary<string, DependencyOptions>(StringComparer.Ordinal);

    /// <summary>How configuration changes are applied while the application runs (<c>DependencyHealth:Reload</c>).</summary>
    public DependencyHealthReloadOptions Reload { get; set; } = new();

    /// <summary>
    /// Dependencies read from the contract's environment form <c>DEPHEALTH_&lt;DEP&gt;_&lt;PARAM&gt;</c>, by name
    /// (<c>postgres-main</c> or <c>POSTGRES_MAIN</c>). Only the named dependencies are read; no variable is scanned
    /// otherwise. Environment values win over other configuration of the same dependency.
    /// </summary>
    public IList<string> FromEnvironment { get; } = new List<string>();

    /// <summary>
    /// Load failures reported by configuration sources, by source (for example a dependencies file holding invalid
    /// JSON, see <c>AddDependencyHealthJsonFile</c>). Any entry makes the configuration invalid, so a reload that
    /// carries one is rejected and the previous configuration keeps running. Set by sources, not by hand.
    /// </summary>
    public IDictionary<string, string> SourceErrors { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Errors found while reading <see cref="FromEnvironment"/> dependencies, keyed by variable name.</summary>
    internal List<EndpointValidationError> EnvironmentErrors { get; } = [];

    /// <summary>What the configuration binder refused (misspelt keys, values that do not convert), by configuration key.</summary>
    internal List<EndpointValidationError> BindingErrors { get; } = [];
}
