using DepHealth.AspNetCore.Configuration;
using DepHealth.AspNetCore.Registry;
using DepHealth.AspNetCore.Scheduling;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Hosting;

/// <summary>
/// Registers the configured endpoints and the stored runtime ones and starts the scheduler with the host; stops it (and
/// the store's feed) with the host.
/// </summary>
internal sealed class DependencyHealthHostedService(
    EndpointRegistry registry,
    CheckScheduler scheduler,
    IOptions<DependencyHealthOptions> options,
    RegistryStoreSync storeSync) : IHostedService
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
        scheduler.Start();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await storeSync.StopAsync();
        await scheduler.StopAsync(cancellationToken);
    }
}
