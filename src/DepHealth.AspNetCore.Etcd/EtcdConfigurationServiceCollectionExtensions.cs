using DepHealth.AspNetCore.Etcd;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Connects the etcd configuration source to the application's logging.</summary>
public static class EtcdConfigurationServiceCollectionExtensions
{
    /// <summary>
    /// When the host starts, hands the application's <see cref="ILoggerFactory"/> to every etcd configuration source
    /// of the application's configuration; the events they logged before (for example "etcd unavailable at startup")
    /// are written then.
    /// </summary>
    /// <param name="services">The application's services.</param>
    public static IServiceCollection AddEtcdConfigurationLogging(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, EtcdLoggingAttacher>());
        return services;
    }

    private sealed class EtcdLoggingAttacher(IConfiguration configuration, ILoggerFactory loggerFactory) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (configuration is IConfigurationRoot root)
            {
                foreach (var provider in root.Providers.OfType<EtcdConfigurationProvider>())
                {
                    provider.AttachLogger(loggerFactory);
                }
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
