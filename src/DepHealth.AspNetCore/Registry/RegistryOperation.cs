namespace DepHealth.AspNetCore.Registry;

/// <summary>One registry operation as the audit names it: what is done, to which endpoint, and who asked.</summary>
/// <param name="Name">The operation: <c>add</c>, <c>update</c> or <c>remove</c>.</param>
/// <param name="Endpoint">The endpoint as the audit prints it.</param>
/// <param name="Change">Where the endpoint comes from and who asked.</param>
internal readonly record struct RegistryOperation(string Name, string Endpoint, RegistryChange Change);
