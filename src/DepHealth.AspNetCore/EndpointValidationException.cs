namespace DepHealth.AspNetCore;

/// <summary>An endpoint spec broke one or more rules; nothing was changed.</summary>
public sealed class EndpointValidationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EndpointValidationException()
        : this([new EndpointValidationError("Endpoint", "is invalid")])
    {
    }

    /// <summary>Creates the exception with a single error on the field <c>Endpoint</c>.</summary>
    public EndpointValidationException(string message)
        : this([new EndpointValidationError("Endpoint", message)])
    {
    }

    /// <summary>Creates the exception with a single error on the field <c>Endpoint</c>.</summary>
    public EndpointValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [new EndpointValidationError("Endpoint", message)];
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="errors">The rules broken, at least one.</param>
    public EndpointValidationException(IReadOnlyList<EndpointValidationError> errors)
        : base(string.Join("; ", errors))
    {
        Errors = errors;
    }

    /// <summary>The fields and rules broken.</summary>
    public IReadOnlyList<EndpointValidationError> Errors { get; }
}
