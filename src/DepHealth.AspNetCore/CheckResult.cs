
namespace DepHealth.AspNetCore;

/// <summary>
/// The outcome of one check: healthy, or unhealthy with the contract's detail value (for example <c>auth_error</c>
/// or <c>http_503</c>). Expected failures are returned, not thrown; a checker that throws still has its exception
/// classified by the scheduler.
/// </summary>
public readonly struct CheckResult : IEquatable<CheckResult>
{
    // Null means healthy, so that default(CheckResult) is the healthy result.
    private readonly string? _detail;

    private CheckResult(string detail, string? description, Exception? exception)
    {
        _detail = detail;
        Description = description;
        Exception = exception;
    }

    /// <summary>The check succeeded.</summary>
    public static CheckResult Healthy => default;

    /// <summary>Whether the check succeeded.</summary>
    public bool IsHealthy => _detail is null;

    /// <summary>The contract detail value: <c>ok</c> when healthy.</summary>
    public string Detail => _detail ?? CheckDetails.Ok;

    /// <summary>The contract status category of <see cref="Detail"/>, for example <c>connection_error</c>.</summary>
    public string Status => CheckDetails.StatusOf(Detail);

    /// <summary>Why the check failed, for the log; never shown in metrics or details, and must not hold credentials.</summary>
    public string? Description { get; }

    /// <summary>The error behind the failure, if any; logged by type and scrubbed message.</summary>
    public Exception? Exception { get; }

    /// <summary>A failed check with a known detail value.</summary>
    /// <param name="detail">The contract detail value, for example <c>auth_error</c>: lower-case letters, digits and <c>_</c>, at most 64, not <c>ok</c>.</param>
    /// <param name="description">Why, for the log, without credentials.</param>
    /// <param name="exception">The underlying error, if any.</param>
    public static CheckResult Unhealthy(string detail, string? description = null, Exception? exception = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(detail);

        // Detail values become label values: a malformed one is the checker's bug, classified as error when thrown.
        return detail == CheckDetails.Ok || !ErrorClassifier.IsWellFormed(detail)
            ? throw new ArgumentException($"'{detail}' is not a failure detail: lower-case letters, digits and '_', at most 64, not 'ok'.", nameof(detail))
            : new CheckResult(detail, description, exception);
    }

    /// <summary>A failed check classified from its exception as the scheduler would: socket, DNS, TLS and timeout errors by type and code, else <c>error</c>.</summary>
    /// <param name="exception">The error.</param>
    public static CheckResult FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new CheckResult(ErrorClassifier.Classify(exception), null, exception);
    }

    /// <inheritdoc />
    public bool Equals(CheckResult other) =>
        _detail == other._detail && Description == other.Description && ReferenceEquals(Exception, other.Exception);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CheckResult other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_detail, Description, Exception);

    /// <inheritdoc />
    public override string ToString() => Description is null ? Detail : $"{Detail}: {Description}";

    /// <summary>Whether two results are equal.</summary>
    public static bool operator ==(CheckResult left, CheckResult right) => left.Equals(right);

    /// <summary>Whether two results differ.</summary>
    public static bool operator !=(CheckResult left, CheckResult right) => !left.Equals(right);
}
