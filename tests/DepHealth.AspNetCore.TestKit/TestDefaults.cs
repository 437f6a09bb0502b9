namespace DepHealth.AspNetCore.TestKit;

/// <summary>The options every harness starts from: a named app, checks every 10 s with a 5 s timeout, no delays.</summary>
public static class TestDefaults
{
    public static Action<DependencyHealthOptions> Options(Action<DependencyHealthOptions>? configure) => o =>
    {
        o.Name = "app";
        o.Group = "team";
        o.CheckInterval = TimeSpan.FromSeconds(10);
        o.Timeout = TimeSpan.FromSeconds(5);
        o.InitialDelay = TimeSpan.Zero;
        o.SpreadFirstChecks = false;
        configure?.Invoke(o);
    };
}
