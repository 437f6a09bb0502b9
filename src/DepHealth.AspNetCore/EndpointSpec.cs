using System.Collections.Frozen;

namespace DepHealth.AspNetCore;

/// <summary>
/// Describes one monitored endpoint: which dependency it belongs to, where it is, how critical it is,
/// and optionally how it is checked. Settings left <see langword="null"/> inherit the global options.
/// </summary>
/// <remarks>Two specs are equal when every field, label and option is equal (dictionaries by content).</remarks>
public sealed record EndpointSpec
{
    private static readonly IReadOnlyDictionary<string, string> Empty = FrozenDictionary<string, string>.Empty;

    /// <summary>The dependency name, <c>[a-z][a-z0-9-]*</c>, 1 to 63 characters.</summary>
    public required string Dependency { get; init; }

    /// <summary>The dependency type: <c>http grpc tcp postgres mysql redis amqp kafka ldap</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The host name or IP address (IPv6 without brackets).</summary>
    public required string Host { get; init; }

    /// <summary>The port, 1 to 65535.</summary>
    public required int Port { get; init; }

    /// <summary>Whether readiness depends on this endpoint.</summary>
    public required bool Critical { get; init; }

    /// <summary>
    /// Custom metric labels; names <c>[a-zA-Z_][a-zA-Z0-9_]*</c>, not one of the required names. The registry keeps a
    /// copy: changing the dictionary after adding the endpoint changes nothing registered.
    /// </summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = Empty;

    /// <summary>Time from the start of one check to the start of the next; inherits when null.</summary>
    public TimeSpan? CheckInterval { get; init; }

    /// <summary>Time a check may take; inherits when null.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Delay before the first check of an endpoint configured at startup; inherits when null.</summary>
    public TimeSpan? InitialDelay { get; init; }

    /// <summary>Consecutive failures that turn a healthy endpoint unhealthy; inherits when null.</summary>
    public int? FailureThreshold { get; init; }

    /// <summary>Consecutive successes that turn an unhealthy endpoint healthy; inherits when null.</summary>
    public int? SuccessThreshold { get; init; }

    /// <summary>
    /// Checker options by configuration key (case-insensitive), for example <c>HealthPath</c> or
    /// <c>Headers:X-Trace</c>. Values named as secrets are never shown. The registry keeps a copy, as of
    /// <see cref="Labels"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = Empty;

    /// <summary>Creates a custom checker; when null the checker registered for <see cref="Type"/> is used.</summary>
    public Func<IServiceProvider, IDependencyChecker>? CheckerFactory { get; init; }

    /// <summary>The key that identifies this endpoint in the registry.</summary>
    public EndpointKey Key => new(Dependency, Host, Port);

    /// <summary>Returns the option <paramref name="key"/>, or null when it is not set.</summary>
    /// <param name="key">The option key, case-insensitive.</param>
    public string? GetOption(string key)
    {
        if (Options.TryGetValue(key, out var value))
        {
            return value;
        }

        foreach (var pair in Options)
        {
            if (string.Equals(pair.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return pair.Value;
            }
        }

        return null;
    }

    /// <summary>
    /// This spec with frozen copies of <see cref="Labels"/> and <see cref="Options"/> (null read as empty): what the
    /// registry keeps, so an application that later changes or clears its dictionaries changes nothing registered and
    /// nothing that renders ever reads its objects.
    /// </summary>
    internal EndpointSpec Detached() =>
        Labels is FrozenDictionary<string, string> && Options is FrozenDictionary<string, string>
            ? this
            : this with { Labels = Freeze(Labels), Options = Freeze(Options) };

    /// <inheritdoc />
    public bool Equals(EndpointSpec? other) =>
        other is not null
        && string.Equals(Dependency, other.Dependency, StringComparison.Ordinal)
        && string.Equals(Type, other.Type, StringComparison.Ordinal)
        && string.Equals(Host, other.Host, StringComparison.Ordinal)
        && Port == other.Port
        && Critical == other.Critical
        && CheckInterval == other.CheckInterval
        && Timeout == other.Timeout
        && InitialDelay == other.InitialDelay
        && FailureThreshold == other.FailureThreshold
        && SuccessThreshold == other.SuccessThreshold
        && Equals(CheckerFactory, other.CheckerFactory)
        && SameContent(Labels, other.Labels, StringComparer.Ordinal)
        && SameContent(Options, other.Options, StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Dependency, Host, Port, Type, Critical);

    private static FrozenDictionary<string, string> Freeze(IReadOnlyDictionary<string, string>? map) => map switch
    {
        null => FrozenDictionary<string, string>.Empty,
        FrozenDictionary<string, string> frozen => frozen,
        Dictionary<string, string> dictionary => dictionary.ToFrozenDictionary(dictionary.Comparer),
        _ => map.ToFrozenDictionary(StringComparer.Ordinal),
    };

    private static bool SameContent(
        IReadOnlyDictionary<string, string> left, IReadOnlyDictionary<string, string> right, StringComparer keys)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        if (left.Count != right.Count)
        {
            return false;
        }

        foreach (var pair in left)
        {
            string? match = null;
            foreach (var candidate in right)
            {
                if (keys.Equals(candidate.Key, pair.Key))
                {
                    match = candidate.Value;
                    break;
                }
            }

            if (!string.Equals(match, pair.Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
