using System.Runtime.CompilerServices;

namespace DepHealth.AspNetCore.State;

/// <summary>
/// One registered endpoint: its spec, its exported label set, and its check state. A new entry is created for
/// every registration, so an entry is also the endpoint's generation: once removed it is never written again
/// and is no longer in the store, so a check still in flight cannot bring its series back.
/// </summary>
internal sealed class EndpointEntry
{
    private readonly Lock _gate = new();
    private readonly long[] _buckets = new long[LatencyBuckets.Labels.Length];
    private HealthState _health;
    private HealthState _inherited;
    private int _consecutiveFailures;
    private int _consecutiveSuccesses;
    private string _status = CheckDetails.Unknown;
    private string _detail = CheckDetails.Unknown;
    private double _latencySeconds;
    private DateTimeOffset? _lastCheckedAt;
    private double _latencySum;
    private long _count;
    private bool _removed;
    private readonly EndpointHistory _history;
    private HealthStateStore? _store;

    public EndpointEntry(
        EndpointSpec spec,
        CheckSettings settings,
        EndpointSource source,
        bool gatesReadiness,
        IDependencyChecker checker,
        SeriesLabels labels,
        long generation,
        int historySize = DependencyHistoryOptions.DefaultSize,
        int flapThreshold = DependencyHistoryOptions.DefaultFlapThreshold)
    {
        Spec = spec;
        Key = spec.Key;
        KeyText = Key.ToString();
        Settings = settings;
        Source = source;
        GatesReadiness = gatesReadiness;
        Checker = checker;
        Labels = labels;
        Generation = generation;
        Secrets = SecretScrubber.For(spec);
        _history = new EndpointHistory(historySize, flapThreshold);
    }

    public EndpointKey Key { get; }

    /// <summary>The key as <c>dependency:host:port</c>, kept to avoid formatting it per probe.</summary>
    public string KeyText { get; }

    public EndpointSpec Spec { get; }

    public CheckSettings Settings { get; }

    public EndpointSource Source { get; }

    /// <summary>Endpoints configured at startup keep readiness down until their first check; runtime ones do not.</summary>
    public bool GatesReadiness { get; }

    public IDependencyChecker Checker { get; }

    public SeriesLabels Labels { get; }

    public long Generation { get; }

    public SecretScrubber Secrets { get; }

    /// <summary>Read without the lock (probes read every endpoint per request); written under it.</summary>
    public bool IsRemoved => Volatile.Read(ref _removed);

    /// <summary>Read without the lock (probes read every endpoint per request); written under it.</summary>
    public HealthState Health => (HealthState)Volatile.Read(ref Unsafe.As<HealthState, byte>(ref _health));

    /// <summary>
    /// The verdict readiness uses: the entry's own health once it has a result; before that, the verdict of the entry
    /// it replaced under the same key (see <see cref="InheritReadiness"/>), so replacing an endpoint never flips readiness.
    /// </summary>
    public HealthState ReadinessHealth
    {
        get
        {
            lock (_gate)
            {
                return _health != HealthState.Unknown ? _health : _inherited;
            }
        }
    }

    /// <summary>What the entry does to readiness, from <see cref="ReadinessHealth"/>, criticality and <see cref="GatesReadiness"/>.</summary>
    public ReadinessEffect ReadinessEffect => ReadinessHealth switch
    {
        _ when IsRemoved => ReadinessEffect.None,
        HealthState.Unhealthy => Spec.Critical ? ReadinessEffect.Failing : ReadinessEffect.Degraded,
        HealthState.Unknown when Spec.Critical && GatesReadiness => ReadinessEffect.Pending,
        _ => ReadinessEffect.None,
    };

    /// <summary>Carries the verdict of the entry this one replaces under the same key, until this entry's first result.</summary>
    public void InheritReadiness(EndpointEntry replaced)
    {
        var verdict = replaced.ReadinessHealth;
        lock (_gate)
        {
            _inherited = verdict;
            ReadinessChanged();
        }
    }

    /// <summary>Marks the entry removed: from now on results are dropped.</summary>
    public void MarkRemoved()
    {
        lock (_gate)
        {
            _removed = true;
            ReadinessChanged();
        }
    }

    /// <summary>
    /// The store the entry is in: told, under the entry's lock, of every change of what readiness reads (see
    /// <see cref="HealthStateStore.ReadinessVersion"/>), so whoever sees the change also sees the new version.
    /// </summary>
    public void AttachTo(HealthStateStore store) => Volatile.Write(ref _store, store);

    private void ReadinessChanged() => Volatile.Read(ref _store)?.ReadinessChanged();

    /// <summary>Records one check result and applies the thresholds.</summary>
    /// <param name="detail">The contract detail value.</param>
    /// <param name="latencySeconds">How long the check took.</param>
    /// <param name="checkedAt">When it finished.</param>
    /// <param name="written">False when the entry was removed and nothing was recorded.</param>
    public HealthTransition Record(string detail, double latencySeconds, DateTimeOffset checkedAt, out bool written)
    {
        var success = string.Equals(detail, CheckDetails.Ok, StringComparison.Ordinal);
        var status = CheckDetails.StatusOf(detail);
        lock (_gate)
        {
            if (_removed)
            {
                written = false;
                return HealthTransition.None;
            }

            written = true;
            _status = status;
            _detail = detail;
            _latencySeconds = latencySeconds;
            _lastCheckedAt = checkedAt;
            _latencySum += latencySeconds;
            _count++;
            _buckets[LatencyBuckets.IndexOf(latencySeconds)]++;

            if (success)
            {
                _consecutiveFailures = 0;
                _consecutiveSuccesses++;
            }
            else
            {
                _consecutiveSuccesses = 0;
                _consecutiveFailures++;
            }

            var transition = _health switch
            {
                HealthState.Unknown => success ? HealthTransition.FirstHealthy : HealthTransition.BecameUnhealthy,
                HealthState.Healthy when !success && _consecutiveFailures >= Settings.FailureThreshold => HealthTransition.BecameUnhealthy,
                HealthState.Unhealthy when success && _consecutiveSuccesses >= Settings.SuccessThreshold => HealthTransition.Recovered,
                _ => HealthTransition.None,
            };
            if (transition != HealthTransition.None)
            {
                _health = transition == HealthTransition.BecameUnhealthy ? HealthState.Unhealthy : HealthState.Healthy;
                ReadinessChanged();
            }

            StartedFlapping = _history.Add(checkedAt, _health == HealthState.Healthy, detail, latencySeconds);
            return transition;
        }
    }

    /// <summary>Whether the last recorded result made the endpoint start flapping; read after <see cref="Record"/>.</summary>
    public bool StartedFlapping { get; private set; }

    /// <summary>Copies the endpoint's history, oldest first, into <paramref name="destination"/>; returns the checks recorded by this entry so far.</summary>
    public long ReadHistory(List<HistorySample> destination)
    {
        lock (_gate)
        {
            _history.CopyTo(destination);
            return _count;
        }
    }

    /// <summary>
    /// Refills the history with results saved before a restart; only an entry without results takes them. Health stays
    /// unknown until the first fresh check, so readiness and metrics never see a restored result.
    /// </summary>
    public bool Restore(IReadOnlyList<HistorySample> samples)
    {
        lock (_gate)
        {
            if (_removed || _count > 0 || _history.Count > 0 || samples.Count == 0)
            {
                return false;
            }

            _history.Restore(samples);
            return true;
        }
    }

    /// <summary>
    /// The state details show: <see cref="Read"/>'s, or before the first fresh check the newest restored result as the
    /// last one (<paramref name="restored"/> true then).
    /// </summary>
    public EndpointSnapshot ReadShown(out bool restored)
    {
        lock (_gate)
        {
            if (_health == HealthState.Unknown && _history.TryGetNewest(out var last))
            {
                restored = true;
                var health = last.Healthy ? HealthState.Healthy : HealthState.Unhealthy;
                return new EndpointSnapshot(health, last.Status, last.Detail, last.LatencySeconds, last.At, 0, 0, _history.IsFlapping, _history.Flaps);
            }

            // Still under the lock (it is reentrant): the fresh state is read as the same moment's.
            restored = false;
            return Read();
        }
    }

    /// <summary>Reads the state; fills <paramref name="cumulativeBuckets"/> with cumulative bucket counts when given.</summary>
    public EndpointSnapshot Read(Span<long> cumulativeBuckets = default)
    {
        lock (_gate)
        {
            if (!cumulativeBuckets.IsEmpty)
            {
                long running = 0;
                for (var i = 0; i < _buckets.Length; i++)
                {
                    running += _buckets[i];
                    cumulativeBuckets[i] = running;
                }
            }

            return new EndpointSnapshot(_health, _status, _detail, _latencySeconds, _lastCheckedAt, _latencySum, _count, _history.IsFlapping, _history.Flaps);
        }
    }
}
