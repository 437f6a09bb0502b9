using System.Data.Common;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DepHealth.AspNetCore.Checks.HealthChecks;

/// <summary>
/// Turns a health check's failure into a classified <see cref="CheckResult"/>. Its message names the
/// registration, the status and the exception's type only: a result's description, its data and exception messages
/// are never shown, as they may quote a connection string the package cannot know to redact.
/// </summary>
internal static class HealthCheckFailure
{
    /// <summary>The check returned <paramref name="status"/> (Unhealthy or Degraded), with or without an exception.</summary>
    public static CheckResult Reported(string registration, string type, HealthStatus status, Exception? exception)
    {
        var detail = exception is null ? WithoutException(type) : Classify(exception, type);
        var cause = exception is null ? string.Empty : $" with {exception.GetType().Name}";
        return CheckResult.Unhealthy(detail, $"Health check '{registration}' returned {status}{cause}.", exception);
    }

    /// <summary>The check threw <paramref name="exception"/>.</summary>
    public static CheckResult Thrown(string registration, string type, Exception exception) =>
        CheckResult.Unhealthy(Classify(exception, type), $"Health check '{registration}' threw {exception.GetType().Name}.", exception);

    /// <summary>
    /// The detail of a failure with an exception: a <see cref="DependencyCheckException"/> in the chain decides, then a
    /// SQLSTATE of class 28 (invalid authorization), then the platform's classification; always one the type allows.
    /// </summary>
    public static string Classify(Exception exception, string type)
    {
        var detail = ErrorClassifier.Classify(exception);
        if (detail == CheckDetails.Error && IsAuthorizationSqlState(exception))
        {
            detail = CheckDetails.AuthError;
        }

        return TypeDetails.Allows(type, detail) ? detail : CheckDetails.Error;
    }

    /// <summary>The dependency answered "not healthy" without saying why: <c>unhealthy</c> where the type has it, else <c>error</c>.</summary>
    public static string WithoutException(string type) =>
        TypeDetails.Allows(type, CheckDetails.Unhealthy) ? CheckDetails.Unhealthy : CheckDetails.Error;

    // SQL's class 28, "invalid authorization specification": PostgreSQL 28P01/28000, MySQL and MariaDB 28000.
    private static bool IsAuthorizationSqlState(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException { SqlState: { Length: 5 } state } && state.StartsWith("28", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
