namespace DepHealth.AspNetCore;

/// <summary>Another endpoint with a different spec is registered under the key; nothing was changed.</summary>
public sealed class EndpointConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EndpointConflictException()
        : base("An endpoint with a different spec is registered under the key.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public EndpointConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public EndpointConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a key.</summary>
    /// <param name="key">The key in conflict.</param>
    public EndpointConflictException(EndpointKey key)
        : base($"Endpoint '{key}' is already registered with a different spec.")
    {
        Key = key;
    }

    /// <summary>The key in conflict.</summary>
    public EndpointKey? Key { get; }
}
