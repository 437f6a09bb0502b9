namespace DepHealth.AspNetCore;

/// <summary>The effective check settings of a registered endpoint, after inheriting the global options.</summary>
/// <param name="CheckInterval">Time from the start of one check to the start of the next.</param>
/// <param name="Timeout">Time a check may take.</param>
/// <param name="InitialDelay">Delay before the first check of an endpoint configured at startup.</param>
/// <param name="FailureThreshold">Consecutive failures that turn a healthy endpoint unhealthy.</param>
/// <param name="SuccessThreshold">Consecutive successes that turn an unhealthy endpoint healthy.</param>
public sealed record CheckSettings(
    TimeSpan CheckInterval,
    TimeSpan Timeout,
    TimeSpan InitialDelay,
    int FailureThreshold,
    int SuccessThreshold);
