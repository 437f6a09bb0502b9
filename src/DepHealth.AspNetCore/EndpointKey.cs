using System.Globalization;

namespace DepHealth.AspNetCore;

/// <summary>Identifies an endpoint: dependency name, host and port. Printed as <c>dependency:host:port</c>.</summary>
/// <param name="Dependency">The dependency name.</param>
/// <param name="Host">The host.</param>
/// <param name="Port">The port.</param>
public readonly record struct EndpointKey(string Dependency, string Host, int Port) : IComparable<EndpointKey>
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Dependency}:{Host}:{Port}");

    /// <inheritdoc />
    public int CompareTo(EndpointKey other)
    {
        var byDependency = string.CompareOrdinal(Dependency, other.Dependency);
        if (byDependency != 0)
        {
            return byDependency;
        }

        var byHost = string.CompareOrdinal(Host, other.Host);
        return byHost != 0 ? byHost : Port.CompareTo(other.Port);
    }

    /// <summary>Orders keys by dependency, host, then port.</summary>
    public static bool operator <(EndpointKey left, EndpointKey right) => left.CompareTo(right) < 0;

    /// <summary>Orders keys by dependency, host, then port.</summary>
    public static bool operator >(EndpointKey left, EndpointKey right) => left.CompareTo(right) > 0;

    /// <summary>Orders keys by dependency, host, then port.</summary>
    public static bool operator <=(EndpointKey left, EndpointKey right) => left.CompareTo(right) <= 0;

    /// <summary>Orders keys by dependency, host, then port.</summary>
    public static bool operator >=(EndpointKey left, EndpointKey right) => left.CompareTo(right) >= 0;
}
