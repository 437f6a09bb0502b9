using DepHealth.AspNetCore.Diagnostics;
using DepHealth.AspNetCore.Telemetry;
using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.Registry;

/// <summary>
/// The registry's audit trail: every change and every refusal is logged (events 2001 and 2002) and then counted in
/// <c>app_dependency_registry_changes_total</c>, so whoever sees the counter move can find the entry.
/// </summary>
/// <remarks>The log category stays the registry's, which operators filter on.</remarks>
internal sealed class RegistryAudit(ILogger<EndpointRegistry> logger, RegistryChangeCounter changes)
{
    public void Changed(RegistryOperation operation, string result)
    {
        var change = operation.Change;
        DependencyHealthLog.RegistryChanged(logger, operation.Name, operation.Endpoint, change.Actor ?? "application", change.SourceName, result);
        changes.Increment(operation.Name, result);
    }

    public void Rejected(RegistryOperation operation, string result, string reason)
    {
        var change = operation.Change;
        DependencyHealthLog.RegistryChangeRejected(logger, operation.Name, operation.Endpoint, change.Actor ?? "application", change.SourceName, result, reason);
        changes.Increment(operation.Name, result);
    }
}
