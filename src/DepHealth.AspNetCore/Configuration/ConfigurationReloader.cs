using System.Threading.Channels;
using DepHealth.AspNetCore.Diagnostics;
using DepHealth.AspNetCore.Registry;
using DepHealth.AspNetCore.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace DepHealth.AspNetCore.Configuration;

/// <summary>
/// Applies changes of the <c>DependencyHealth</c> configuration while the application runs. It listens to the same
/// reload tokens as <see cref="IOptionsMonitor{TOptions}"/> (which never reports an invalid configuration, it throws on
/// a background thread instead), waits until the changes have been quiet for the debounce and the minimum interval
/// since the previous reload has passed, then builds and validates the whole new configuration and hands it to the
/// registry, which applies it all or nothing. Endpoints added at runtime are never touched.
/// </summary>
internal sealed class ConfigurationReloader : BackgroundService
{
    private static readonly RegistryChange Change = new(EndpointSource.Configuration, "configuration reload");

    private readonly DependencyHealthOptionsReader _reader;
    private readonly IEnumerable<IOptionsChangeTokenSource<DependencyHealthOptions>> _sources;
    private readonly EndpointRegistry _registry;
    private readonly ConfigReloadMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DependencyHealthOptions _running;
    private readonly Channel<bool> _signals = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private IDisposable[] _subscriptions = [];
    private DependencyHealthReloadOptions _settings;
    private GlobalSettings _globals;
    private List<EndpointSpec> _applied = [];
    private string? _lastFailure;
    private long _lastSignal;
    private long? _lastReload;
    private long _signalCount;
    private long _cycles;
    private int _applying;
    private int _waiting;

    public ConfigurationReloader(
        DependencyHealthOptionsReader reader,
        IEnumerable<IOptionsChangeTokenSource<DependencyHealthOptions>> sources,
        IOptions<DependencyHealthOptions> running,
        EndpointRegistry registry,
        ConfigReloadMetrics metrics,
        TimeProvider time,
        ILogger<ConfigurationReloader> logger)
    {
        _reader = reader;
        _sources = sources;
        _registry = registry;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _running = running.Value;
        _settings = _running.Reload;
        _globals = GlobalSettings.Of(_running);
    }

    /// <summary>True while a reload is validated and applied; <c>/health/details</c> then sends <c>X-DepHealth-Reloading: true</c>.</summary>
    public bool IsApplying => Volatile.Read(ref _applying) != 0;

    /// <summary>Change notifications received, for tests.</summary>
    internal long Signals => Interlocked.Read(ref _signalCount);

    /// <summary>Reload attempts finished (applied, rejected or found unchanged), for tests.</summary>
    internal long Cycles => Interlocked.Read(ref _cycles);

    /// <summary>True while a change waits for the debounce or the minimum interval on an armed timer, for tests.</summary>
    internal bool IsWaiting => Volatile.Read(ref _waiting) != 0;

    /// <summary>Subscribes before the host goes on (the loop itself starts on a background thread), so no change is missed.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_running.Reload.Enabled)
        {
            return Task.CompletedTask;
        }

        _applied = DependencySpecBuilder.Build(_running, []);
        Volatile.Write(ref _subscriptions, _sources.Select(source => ChangeToken.OnChange(source.GetChangeToken, Signal)).ToArray());

        // A change between reading the startup options and subscribing is not lost: look once. An unchanged
        // configuration costs one comparison and is neither counted nor logged above Debug.
        Signal();
        return base.StartAsync(cancellationToken);
    }

    /// <summary>Ends the subscriptions at once when the host disposes this without stopping it; the base ends the loop.</summary>
    public override void Dispose()
    {
        Unsubscribe();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _signals.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                reader.TryRead(out _);
                await WaitUntilDueAsync(stoppingToken);

                // Changes that arrived while waiting are read by this reload.
                reader.TryRead(out _);
                await ReloadAsync(stoppingToken);
                Interlocked.Increment(ref _cycles);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            Unsubscribe();
        }
    }

    /// <summary>Safe twice and at once: disposing a change-token subscription is idempotent and thread-safe.</summary>
    private void Unsubscribe()
    {
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            subscription.Dispose();
        }
    }

    private void Signal()
    {
        Interlocked.Exchange(ref _lastSignal, _time.GetTimestamp());
        Interlocked.Increment(ref _signalCount);
        _signals.Writer.TryWrite(true);
    }

    /// <summary>Waits until the last change is <c>Debounce</c> old and the previous reload <c>MinInterval</c> old.</summary>
    private async Task WaitUntilDueAsync(CancellationToken cancellationToken)
    {
        var logged = false;
        while (true)
        {
            var wait = _settings.Debounce - _time.GetElapsedTime(Interlocked.Read(ref _lastSignal));
            if (_lastReload is { } last)
            {
                var window = _settings.MinInterval - _time.GetElapsedTime(last);
                wait = window > wait ? window : wait;
            }

            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            if (!logged)
            {
                DependencyHealthLog.ConfigReloadDeferred(_logger, wait.TotalMilliseconds);
                logged = true;
            }

            // Waiting only once the delay's timer is armed: whoever sees the flag and then moves the clock moves it past
            // this delay, not before it exists.
            var delay = Task.Delay(wait, _time, cancellationToken);
            Volatile.Write(ref _waiting, 1);
            try
            {
                await delay;
            }
            finally
            {
                Volatile.Write(ref _waiting, 0);
            }
        }
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        Volatile.Write(ref _applying, 1);
        try
        {
            var errors = new List<EndpointValidationError>();
            if (_reader.Read(errors) is not { } options)
            {
                Fail(started, errors);
                return;
            }

            var specs = DependencySpecBuilder.Build(options, []);
            var globals = GlobalSettings.Of(options);
            var unchanged = specs.SequenceEqual(_applied) && globals == _globals && SameSettings(options.Reload, _settings);
            if (unchanged && _lastFailure is null)
            {
                DependencyHealthLog.ConfigReloadUnchanged(_logger);
                return;
            }

            ConfigurationDiff diff;
            try
            {
                diff = await _registry.ApplyConfigurationAsync(specs, Change, cancellationToken);
            }
            catch (EndpointValidationException exception)
            {
                Fail(started, exception.Errors);
                return;
            }
#pragma warning disable CA1031 // A reload that fails unexpectedly is rejected; the app, its monitoring and later reloads go on.
            catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
            {
                Fail(started, [new(DependencyHealthOptions.SectionName, $"the configuration could not be applied ({exception.GetType().Name})")]);
                return;
            }

            WarnAboutGlobals(globals);
            _applied = specs;
            _settings = options.Reload;
            _lastFailure = null;
            var seconds = _time.GetElapsedTime(started).TotalSeconds;
            _lastReload = _time.GetTimestamp();

            // Audit first: whoever sees the counter move (a scrape, an alert) can then find the log entry.
            DependencyHealthLog.ConfigReloaded(_logger, seconds * 1000, diff.Added, diff.Removed, diff.Updated);
            _metrics.Record(success: true, seconds);
        }
        finally
        {
            Volatile.Write(ref _applying, 0);
        }
    }

    private void Fail(long started, IReadOnlyList<EndpointValidationError> errors)
    {
        var text = string.Join("; ", errors);
        if (string.Equals(text, _lastFailure, StringComparison.Ordinal))
        {
            // The same invalid configuration again (another key changed): already counted and logged.
            DependencyHealthLog.ConfigReloadUnchanged(_logger);
            return;
        }

        _lastFailure = text;
        var seconds = _time.GetElapsedTime(started).TotalSeconds;
        _lastReload = _time.GetTimestamp();
        DependencyHealthLog.ConfigReloadFailed(_logger, errors.Count, errors.Count > 0 ? errors[0].Field : DependencyHealthOptions.SectionName, text);
        _metrics.Record(success: false, seconds);
    }

    private void WarnAboutGlobals(GlobalSettings globals)
    {
        if (globals == _globals)
        {
            return;
        }

        foreach (var (key, changed) in GlobalSettings.Of(_running).Differences(globals))
        {
            if (changed)
            {
                DependencyHealthLog.ConfigGlobalChanged(_logger, $"{DependencyHealthOptions.SectionName}:{key}");
            }
        }

        _globals = globals;
    }

    private static bool SameSettings(DependencyHealthReloadOptions a, DependencyHealthReloadOptions b) =>
        a.Enabled == b.Enabled && a.Debounce == b.Debounce && a.MinInterval == b.MinInterval;
}
