using System.Threading.Channels;
using DepHealth.AspNetCore.Diagnostics;
using DepHealth.AspNetCore.Metrics;
using DepHealth.AspNetCore.Registry;
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
internal sealed partial class ConfigurationReloader : IHostedService, IDisposable
{
    private static readonly RegistryChange Change = new(EndpointSource.Configuration, "configuration reload");

    private readonly IOptionsFactory<DependencyHealthOptions> _factory;
    private readonly IEnumerable<IOptionsChangeTokenSource<DependencyHealthOptions>> _sources;
    private readonly EndpointRegistry _registry;
    private readonly ConfigReloadMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DependencyHealthOptions _running;
    private readonly Channel<bool> _signals = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly List<IDisposable> _subscriptions = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private DependencyHealthReloadOptions _settings;
    private Globals _globals;
    private List<EndpointSpec> _applied = [];
    private string? _lastFailure;
    private long _lastSignal;
    private long? _lastReload;
    private long _signalCount;
    private long _cycles;
    private int _applying;
    private int _waiting;
    private Task? _stop;

    public ConfigurationReloader(
        IOptionsFactory<DependencyHealthOptions> factory,
        IEnumerable<IOptionsChangeTokenSource<DependencyHealthOptions>> sources,
        IOptions<DependencyHealthOptions> running,
        EndpointRegistry registry,
        ConfigReloadMetrics metrics,
        TimeProvider time,
        ILogger<ConfigurationReloader> logger)
    {
        _factory = factory;
        _sources = sources;
        _registry = registry;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _running = running.Value;
        _settings = _running.Reload;
        _globals = Globals.Of(_running);
    }

    /// <summary>True while a reload is validated and applied; <c>/health/details</c> then sends <c>X-DepHealth-Reloading: true</c>.</summary>
    public bool IsApplying => Volatile.Read(ref _applying) != 0;

    /// <summary>Change notifications received, for tests.</summary>
    internal long Signals => Interlocked.Read(ref _signalCount);

    /// <summary>Reload attempts finished (applied, rejected or found unchanged), for tests.</summary>
    internal long Cycles => Interlocked.Read(ref _cycles);

    /// <summary>True while a change waits for the debounce or the minimum interval on an armed timer, for tests.</summary>
    internal bool IsWaiting => Volatile.Read(ref _waiting) != 0;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_running.Reload.Enabled)
        {
            return Task.CompletedTask;
        }

        _applied = DependencySpecBuilder.Build(_running, []);
        lock (_subscriptions)
        {
            foreach (var source in _sources)
            {
                _subscriptions.Add(ChangeToken.OnChange(source.GetChangeToken, Signal));
            }
        }

        // A change between reading the startup options and subscribing is not lost: look once. An unchanged
        // configuration costs one comparison and is neither counted nor logged above Debug.
        Signal();
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task stop;
        lock (_subscriptions)
        {
            stop = _stop ??= StopOnce();
        }

        try
        {
            await stop.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Stops without waiting when the host disposes this service without stopping it. The token source is not
    /// disposed, as <see cref="BackgroundService"/> does not dispose its own: without a timer it holds nothing to
    /// release, and the host can dispose services while a stop is still running (<c>WebApplication.Run</c> stops and
    /// disposes the host on its own thread while the caller's <c>StopAsync</c> is still stopping the services).
    /// </summary>
    public void Dispose()
    {
        lock (_subscriptions)
        {
            _stop ??= StopOnce();
        }
    }

    /// <summary>Ends the subscriptions and requests the loop's end; called once, under the lock.</summary>
    private Task StopOnce()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        _subscriptions.Clear();
        return WhenStoppedAsync(_stopping.CancelAsync(), _loop);
    }

    private static async Task WhenStoppedAsync(Task cancelled, Task loop)
    {
        await cancelled;
        await loop;
    }

    private void Signal()
    {
        Interlocked.Exchange(ref _lastSignal, _time.GetTimestamp());
        Interlocked.Increment(ref _signalCount);
        _signals.Writer.TryWrite(true);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var reader = _signals.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                reader.TryRead(out _);
                await WaitUntilDueAsync(cancellationToken);

                // Changes that arrived while waiting are read by this reload.
                reader.TryRead(out _);
                await ReloadAsync(cancellationToken);
                Interlocked.Increment(ref _cycles);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
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
            DependencyHealthOptions options;
            try
            {
                options = _factory.Create(Options.DefaultName);
            }
            catch (OptionsValidationException exception)
            {
                Fail(started, exception.Failures.Select(Parse).ToList());
                return;
            }
#pragma warning disable CA1031 // Any failure to build the options is a rejected reload; the app and its monitoring go on.
            catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
            {
                Fail(started, [DependencyHealthConfigurationBinding.BindingError(exception)]);
                return;
            }

            var specs = DependencySpecBuilder.Build(options, []);
            var globals = Globals.Of(options);
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

    private void WarnAboutGlobals(Globals globals)
    {
        if (globals == _globals)
        {
            return;
        }

        var running = Globals.Of(_running);
        foreach (var (key, changed) in running.Differences(globals))
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

    /// <summary>Splits a validator message <c>key: rule</c> back into its key and rule.</summary>
    private static EndpointValidationError Parse(string failure)
    {
        var colon = failure.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 ? new(failure[..colon], failure[(colon + 2)..]) : new(DependencyHealthOptions.SectionName, failure);
    }


    /// <summary>The global settings, which apply from startup on; a reload that changes them logs a warning.</summary>
    private sealed record Globals(
        string? Name,
        string? Group,
        TimeSpan CheckInterval,
        TimeSpan Timeout,
        TimeSpan InitialDelay,
        int FailureThreshold,
        int SuccessThreshold,
        int MaxConcurrentChecks,
        bool SpreadFirstChecks)
    {
        public static Globals Of(DependencyHealthOptions o) => new(
            o.Name, o.Group, o.CheckInterval, o.Timeout, o.InitialDelay, o.FailureThreshold, o.SuccessThreshold, o.MaxConcurrentChecks, o.SpreadFirstChecks);

        public IEnumerable<(string Key, bool Changed)> Differences(Globals other)
        {
            yield return (nameof(Name), !string.Equals(Name, other.Name, StringComparison.Ordinal));
            yield return (nameof(Group), !string.Equals(Group, other.Group, StringComparison.Ordinal));
            yield return (nameof(CheckInterval), CheckInterval != other.CheckInterval);
            yield return (nameof(Timeout), Timeout != other.Timeout);
            yield return (nameof(InitialDelay), InitialDelay != other.InitialDelay);
            yield return (nameof(FailureThreshold), FailureThreshold != other.FailureThreshold);
            yield return (nameof(SuccessThreshold), SuccessThreshold != other.SuccessThreshold);
            yield return (nameof(MaxConcurrentChecks), MaxConcurrentChecks != other.MaxConcurrentChecks);
            yield return (nameof(SpreadFirstChecks), SpreadFirstChecks != other.SpreadFirstChecks);
        }
    }
}
