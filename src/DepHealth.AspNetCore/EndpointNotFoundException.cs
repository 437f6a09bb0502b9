namespace DepHealth.AspNetCore;

/// <summary>No endpoint is registered under the key; nothing was changed.</summary>
public sealed class EndpointNotFoundException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EndpointNotFoundException()
        : base("The endpoint is not registered.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public EndpointNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public EndpointNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a key.</summary>
    /// <param name="key">The missing key.</param>
    public EndpointNotFoundException(EndpointKey key)
        : base($"Endpoint '{key}' is not registered.")
    {
        Key = key;
    }

    /// <summary>The missing key.</summary>
    public EndpointKey? Key { get; }
}
