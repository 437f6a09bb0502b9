using DepHealth.AspNetCore.Configuration;
using DepHealth.AspNetCore.Registry;
using DepHealth.AspNetCore.Scheduling;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Hosting;

/// <summary>
/// Registers the configured endpoints and the stored runtime ones, restores their saved results and starts the scheduler
/// with the host; stops it (and the store's feed) with the host, then saves the results.
/// </summary>
internal sealed class DependencyHealthHostedService(
    EndpointRegistry registry,
    CheckScheduler scheduler,
    IOptions<DependencyHealthOptions> options,
    RegistryStoreSync storeSync,
    EndpointHistoryPersistence history) : IHostedService
{
    private static readonly RegistryChange Startup = new(EndpointSource.Configuration, "configuration", GatesReadiness: true);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var errors = new List<EndpointValidationError>();
        var specs = DependencySpecBuilder.Build(options.Value, errors);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(DependencyHealthOptions.SectionName, typeof(DependencyHealthOptions), errors.Select(e => e.ToString()));
        }

        foreach (var spec in specs)
        {
            await registry.AddAsync(spec, Startup, cancellationToken);
        }

        // Stored runtime endpoints after the configured ones, so that a key in both stays the configuration's.
        await storeSync.StartAsync(cancellationToken);

        // Before the first check, so that restored results come before fresh ones.
        await history.RestoreAsync(cancellationToken);
        scheduler.Start();
        history.Start();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await storeSync.StopAsync();
        await scheduler.StopAsync(cancellationToken);
        await history.StopAsync(cancellationToken);
    }
}
