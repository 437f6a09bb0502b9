namespace DepHealth.AspNetCore.Checks;

/// <summary>
/// A checker factory that names every option key its checker reads; with it, any other key of an endpoint is an error
/// rather than a silently ignored typo. <c>Url</c> and <c>ConnectionString</c> (the address) are always allowed.
/// </summary>
internal interface ICheckerOptionKeys
{
    /// <summary>The keys; one ending in ':' is a prefix, as <c>Headers:</c> for <c>Headers:&lt;name&gt;</c>.</summary>
    IReadOnlyList<string> OptionKeys { get; }
}
