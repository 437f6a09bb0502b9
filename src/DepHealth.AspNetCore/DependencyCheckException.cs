namespace DepHealth.AspNetCore;

/// <summary>
/// A failed check whose contract detail value (for example <c>auth_error</c> or <c>http_503</c>) is known.
/// The status category is derived from the detail with <see cref="CheckDetails.StatusOf"/>.
/// </summary>
public sealed class DependencyCheckException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DependencyCheckException()
        : this(CheckDetails.Error, "The dependency check failed.")
    {
    }

    /// <summary>Creates the exception with the detail <c>error</c>.</summary>
    public DependencyCheckException(string message)
        : this(CheckDetails.Error, message)
    {
    }

    /// <summary>Creates the exception with the detail <c>error</c> and an inner exception.</summary>
    public DependencyCheckException(string message, Exception innerException)
        : this(CheckDetails.Error, message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="detail">The contract detail value, for example <c>auth_error</c>.</param>
    /// <param name="message">A message without credentials.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public DependencyCheckException(string detail, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(detail);
        Detail = detail;
    }

    /// <summary>The contract detail value.</summary>
    public string Detail { get; }
}
