namespace DepHealth.AspNetCore.OpenTelemetry.Tests.Infrastructure;

/// <summary>
/// The OpenTelemetry SDK listens to every meter of a name in the process, whichever host's IMeterFactory made it, so two
/// apps exporting at once would each print the other's measurements too: the tests that start one run one at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OneAppAtATime
{
    public const string Name = "one OpenTelemetry app at a time";
}
