namespace DepHealth.AspNetCore.Scheduling;

/// <summary>What loops share a <see cref="CheckCadence"/> by: the interval, and the first tick in whole milliseconds of the scheduler's clock.</summary>
internal readonly record struct CadenceKey(TimeSpan Interval, long FirstTickMs);
