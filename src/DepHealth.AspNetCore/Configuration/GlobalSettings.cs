namespace DepHealth.AspNetCore.Configuration;

/// <summary>The global settings, which apply from startup on; a reload that changes them logs a warning.</summary>
internal sealed record GlobalSettings(
    string? Name,
    string? Group,
    TimeSpan CheckInterval,
    TimeSpan Timeout,
    TimeSpan InitialDelay,
    int FailureThreshold,
    int SuccessThreshold,
    int MaxConcurrentChecks,
    bool SpreadFirstChecks)
{
    public static GlobalSettings Of(DependencyHealthOptions o) => new(
        o.Name, o.Group, o.CheckInterval, o.Timeout, o.InitialDelay, o.FailureThreshold, o.SuccessThreshold, o.MaxConcurrentChecks, o.SpreadFirstChecks);

    /// <summary>Every setting by its configuration key under the section, and whether it differs in <paramref name="other"/>.</summary>
    public IEnumerable<(string Key, bool Changed)> Differences(GlobalSettings other)
    {
        yield return (nameof(Name), !string.Equals(Name, other.Name, StringComparison.Ordinal));
        yield return (nameof(Group), !string.Equals(Group, other.Group, StringComparison.Ordinal));
        yield return (nameof(CheckInterval), CheckInterval != other.CheckInterval);
        yield return (nameof(Timeout), Timeout != other.Timeout);
        yield return (nameof(InitialDelay), InitialDelay != other.InitialDelay);
        yield return (nameof(FailureThreshold), FailureThreshold != other.FailureThreshold);
        yield return (nameof(SuccessThreshold), SuccessThreshold != other.SuccessThreshold);
        yield return (nameof(MaxConcurrentChecks), MaxConcurrentChecks != other.MaxConcurrentChecks);
        yield return (nameof(SpreadFirstChecks), SpreadFirstChecks != other.SpreadFirstChecks);
    }
}
