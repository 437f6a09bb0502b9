using System.Globalization;
using DepHealth.AspNetCore.Checks;
using DepHealth.AspNetCore.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Satellites.Tests.Infrastructure;

/// <summary>
/// The application side of a test: services with dependency health registered, the endpoint specs built from the
/// resulting options exactly as at startup, and their checkers from the catalog.
/// </summary>
/// <remarks>
/// Checks run with a <see cref="CheckTimeout"/> well above the product's 5 s default: every checker gives it to its
/// driver (Npgsql and MySqlConnector connect and command timeouts, RabbitMQ handshake and continuation timeouts, the LDAP
/// bind and search timeouts), and a first connection on a slow, loaded machine can take seconds. These tests are about
/// outcomes (ok, auth_error, error, pool_exhausted...), never about the timeout's length, so a driver timeout must not
/// fire before the server's own answer; a check that hangs still ends within <see cref="CheckRunner.Generous"/>.
/// </remarks>
internal sealed class Harness : IDisposable
{
    /// <summary>Below <see cref="CheckRunner.Generous"/>, so that a hung driver fails a test with its own timeout first.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(15);

    private readonly ServiceProvider _provider;

    private Harness(ServiceProvider provider, IReadOnlyList<EndpointSpec> specs)
    {
        _provider = provider;
        Specs = specs;
    }

    public IReadOnlyList<EndpointSpec> Specs { get; }

    public EndpointSpec Single => Assert.Single(Specs);

    /// <summary>Registers with <paramref name="register"/>, builds the options and fails on any validation error.</summary>
    public static Harness Create(
        Action<IDependencyHealthBuilder> register,
        Action<IServiceCollection>? services = null,
        IReadOnlyDictionary<string, string?>? configuration = null)
    {
        var collection = new ServiceCollection();
        collection.AddLogging();
        services?.Invoke(collection);
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["DependencyHealth:Name"] = "satellite-tests",
                ["DependencyHealth:Group"] = "tests",
                ["DependencyHealth:Timeout"] = CheckTimeout.ToString("c", CultureInfo.InvariantCulture),

                // The timeout must be shorter than the interval; nothing is scheduled here.
                ["DependencyHealth:CheckInterval"] = TimeSpan.FromMinutes(1).ToString("c", CultureInfo.InvariantCulture),
            })
            .AddInMemoryCollection(configuration ?? new Dictionary<string, string?>())
            .Build();
        register(collection.AddDependencyHealth(config));
        var provider = collection.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<DependencyHealthOptions>>().Value;
        var errors = new List<EndpointValidationError>();
        var specs = DependencySpecBuilder.Build(options, errors);
        Assert.Empty(errors);
        return new Harness(provider, specs);
    }

    public IDependencyChecker CheckerFor(EndpointSpec spec) =>
        _provider.GetRequiredService<CheckerCatalog>().Create(spec, _provider);

    public Task<CheckOutcome> CheckAsync(EndpointSpec spec) => CheckRunner.RunAsync(CheckerFor(spec), spec);

    public Task<CheckOutcome> CheckSingleAsync() => CheckAsync(Single);

    public void Dispose() => _provider.Dispose();
}
