using System.Runtime.CompilerServices;
using DepHealth.AspNetCore.State;
using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.Diagnostics;

/// <summary>
/// What happens when one endpoint fails to render: the renderer leaves it out (its partial output rolled back), every
/// failure is counted per output for <c>app_dependency_render_errors_total</c>, and it is logged once per endpoint and
/// output per episode: a Warning (7001) when it starts failing, Information (7002) when it renders again. An endpoint
/// that fails at every scrape thus logs once, not at every scrape; the counter keeps the rate for alerting.
/// </summary>
internal sealed class RenderFailures(ILogger<RenderFailures> logger)
{
    /// <summary>The values of the <c>output</c> label, sorted; the meter's instruments count as one output.</summary>
    public static readonly string[] Outputs = ["details", "meter", "metrics", "readiness", "registry"];

    /// <summary>The outputs as logged, by <see cref="RenderOutput"/>: the meter's instruments by name.</summary>
    private static readonly string[] Names =
    [
        "metrics", "details", "readiness", "registry", "meter app_dependency_health", "meter app_dependency_status",
        "meter app_dependency_status_detail", "meter app_dependency_flaps",
    ];

    private readonly long[] _counts = new long[Outputs.Length];

    /// <summary>
    /// Whether a renderer isolates <paramref name="exception"/> to its endpoint: anything but the request's cancellation,
    /// which must end the whole response.
    /// </summary>
    public static bool IsIsolated(Exception exception, CancellationToken cancellationToken) =>
        !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested);

    /// <summary>The failures counted for <see cref="Outputs"/>[<paramref name="index"/>].</summary>
    public long Count(int index) => Interlocked.Read(ref _counts[index]);

    /// <summary>Records that <paramref name="entry"/> was left out of <paramref name="output"/> because of <paramref name="exception"/>.</summary>
    public void Failed(EndpointEntry entry, RenderOutput output, Exception exception)
    {
        if (entry.StartRenderFailure(output))
        {
            // Scrubbed like a check's failure reason: the exception is whatever a bug or a user's object threw, and its
            // text (message, inner exceptions, stack) must not carry the endpoint's credentials into the logs.
            DependencyHealthLog.RenderFailed(logger, entry.KeyText, Names[(int)output], entry.Secrets.Scrub(exception.ToString()));
        }

        // Counted after the log entry, so whoever sees the counter move can find it.
        Interlocked.Increment(ref _counts[IndexOf(output)]);
    }

    /// <summary>Records that <paramref name="entry"/> rendered completely; costs one field read unless it was failing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Rendered(EndpointEntry entry, RenderOutput output)
    {
        if (entry.FailingRenders != 0)
        {
            Recovered(entry, output);
        }
    }

    private void Recovered(EndpointEntry entry, RenderOutput output)
    {
        if (entry.EndRenderFailure(output))
        {
            DependencyHealthLog.RenderRecovered(logger, entry.KeyText, Names[(int)output]);
        }
    }

    private static int IndexOf(RenderOutput output) => output switch
    {
        RenderOutput.Details => 0,
        RenderOutput.Metrics => 2,
        RenderOutput.Readiness => 3,
        RenderOutput.Registry => 4,
        _ => 1,
    };
}
