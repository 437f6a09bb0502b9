namespace DepHealth.AspNetCore;

/// <summary>
/// The registry's store (etcd, a SQLite file) could not be reached, so a change could not be made durable or shared;
/// nothing was changed. Monitoring goes on with the endpoints already registered. The HTTP API answers 503.
/// </summary>
public sealed class RegistryStoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RegistryStoreUnavailableException()
        : base("registry store unavailable")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What could not be reached and why; never credentials.</param>
    public RegistryStoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What could not be reached and why; never credentials.</param>
    /// <param name="innerException">The store's error.</param>
    public RegistryStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
