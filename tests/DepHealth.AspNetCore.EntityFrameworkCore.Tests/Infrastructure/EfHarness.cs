using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>
/// The application side of a test, through the public API only: services with the application's context and the
/// dependency registered, the dependency's options as built at startup, and one check run as the scheduler runs it.
/// </summary>
internal sealed class EfHarness : IDisposable
{
    /// <summary>Long enough for a first connection on a loaded machine; these tests are about outcomes, not timeouts.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(15);

    public const string Name = "orders-db";

    private readonly ServiceProvider _provider;

    private EfHarness(ServiceProvider provider) => _provider = provider;

    /// <summary>The dependency's options once built: type, host and port as read from the context.</summary>
    public DependencyOptions Dependency => _provider.GetRequiredService<IOptions<DependencyHealthOptions>>().Value.Dependencies[Name];

    public static EfHarness Create<TContext>(Action<IServiceCollection> context, Action<DependencyOptions>? configure = null)
        where TContext : DbContext
    {
        var services = new ServiceCollection();
        services.AddLogging();
        context(services);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DependencyHealth:Name"] = "ef-tests",
            ["DependencyHealth:Group"] = "tests",
            ["DependencyHealth:Timeout"] = CheckTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["DependencyHealth:CheckInterval"] = TimeSpan.FromMinutes(1).ToString("c", CultureInfo.InvariantCulture),
        }).Build();
        services.AddDependencyHealth(configuration).AddEntityFrameworkCore<TContext>(Name, critical: true, configure);
        return new EfHarness(services.BuildServiceProvider());
    }

    /// <summary>One check of the dependency's endpoint, with the contract detail of its outcome (a thrown exception classified as the scheduler does).</summary>
    public async Task<CheckResult> CheckAsync(CancellationToken cancellationToken = default)
    {
        var dependency = Dependency;
        var endpoint = new EndpointSpec
        {
            Dependency = Name,
            Type = dependency.Type!,
            Host = dependency.Host!,
            Port = dependency.Port!.Value,
            Critical = true,
            Options = dependency.Query is { } query
                ? new Dictionary<string, string> { [CheckerOptionKeys.Query] = query }
                : new Dictionary<string, string>(),
        };
        var checker = dependency.CheckerFactory!(_provider);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout + TimeSpan.FromSeconds(5));
        try
        {
            return await checker.CheckAsync(endpoint, timeout.Token);
        }
        catch (Exception e)
        {
            return CheckResult.FromException(e);
        }
    }

    public void Dispose() => _provider.Dispose();
}
