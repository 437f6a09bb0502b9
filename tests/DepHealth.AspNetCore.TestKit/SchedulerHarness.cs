using DepHealth.AspNetCore.Metrics;
using DepHealth.AspNetCore.Registry;
using DepHealth.AspNetCore.Scheduling;
using DepHealth.AspNetCore.State;
using DepHealth.AspNetCore.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.TestKit;

/// <summary>
/// The package's services on a manual clock, without a web host: start the hosted service, drive time, read the store.
/// Defaults: interval 10 s, timeout 5 s, no initial delay, no spread.
/// </summary>
public sealed class SchedulerHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private bool _started;

    public SchedulerHarness(
        Action<DependencyHealthOptions>? configure = null,
        Action<IDependencyHealthBuilder>? dependencies = null,
        TimeProvider? time = null,
        IConfiguration? configuration = null)
    {
        Time = time as TimerTrackingTimeProvider ?? new TimerTrackingTimeProvider();
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton(time ?? Time);
        var builder = services.AddDependencyHealth(configuration ?? new ConfigurationBuilder().Build(), TestDefaults.Options(configure));
        dependencies?.Invoke(builder);
        _services = services.BuildServiceProvider();
    }

    public TimerTrackingTimeProvider Time { get; }

    public FakeLoggerProvider Logs { get; } = new();

    public IServiceProvider Services => _services;

    public IEndpointRegistry Registry => _services.GetRequiredService<IEndpointRegistry>();

    internal EndpointRegistry RegistryImpl => _services.GetRequiredService<EndpointRegistry>();

    internal HealthStateStore Store => _services.GetRequiredService<HealthStateStore>();

    internal CheckScheduler Scheduler => _services.GetRequiredService<CheckScheduler>();

    internal SchedulerStatistics Statistics => _services.GetRequiredService<SchedulerStatistics>();

    internal PrometheusExposition Exposition => _services.GetRequiredService<PrometheusExposition>();

    internal DepHealth.AspNetCore.Configuration.ConfigurationReloader Reloader => _services.GetRequiredService<DepHealth.AspNetCore.Configuration.ConfigurationReloader>();

    internal ConfigReloadMetrics ReloadMetrics => _services.GetRequiredService<ConfigReloadMetrics>();

    public async Task StartAsync()
    {
        foreach (var hosted in _services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        _started = true;
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (!_started)
        {
            return;
        }

        _started = false;
        foreach (var hosted in _services.GetServices<IHostedService>().Reverse())
        {
            await hosted.StopAsync(cancellationToken);
        }
    }

    /// <summary>The state of an endpoint; fails when it is not registered.</summary>
    internal EndpointSnapshot State(string dependency, string host, int port)
    {
        Assert.True(Store.TryGet(new EndpointKey(dependency, host, port), out var entry), $"{dependency}:{host}:{port} is not registered");
        return entry.Read();
    }

    /// <summary>Waits until the endpoint has recorded <paramref name="checks"/> results.</summary>
    public Task WaitForChecksAsync(string dependency, string host, int port, long checks) =>
        Eventually.TrueAsync(
            () => Store.TryGet(new EndpointKey(dependency, host, port), out var entry) && entry.Read().CheckCount >= checks,
            $"{dependency}:{host}:{port} has recorded {checks} checks");

    public string RenderMetrics()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        Exposition.Render(buffer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IDependencyChecker, Func<IServiceProvider, IDependencyChecker>> Factories = new();

    /// <summary>A spec; the same checker always yields the same factory delegate, so equal specs compare equal.</summary>
    public static EndpointSpec Spec(string dependency = "api", string host = "127.0.0.1", int port = 8080, bool critical = true, IDependencyChecker? checker = null, string type = "tcp") =>
        new()
        {
            Dependency = dependency,
            Type = type,
            Host = host,
            Port = port,
            Critical = critical,
            CheckerFactory = checker is null ? null : Factories.GetValue(checker, static c => _ => c),
        };

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _services.DisposeAsync();
    }
}
