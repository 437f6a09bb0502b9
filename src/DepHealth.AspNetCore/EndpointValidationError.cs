namespace DepHealth.AspNetCore;

/// <summary>One invalid field of an endpoint or of the options.</summary>
/// <param name="Field">The field, as its configuration key (for example <c>Port</c> or <c>Labels:role</c>).</param>
/// <param name="Message">The rule it breaks, without secret values.</param>
public sealed record EndpointValidationError(string Field, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Field}: {Message}";
}
