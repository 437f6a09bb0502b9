using DepHealth.AspNetCore.Diagnostics;
using DepHealth.AspNetCore.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DepHealth.AspNetCore.Registry;

/// <summary>
/// Keeps every endpoint's results in a store that can hold them (<see cref="IEndpointStateStore"/>): restores them into
/// the entries at startup, before the first check, then writes the endpoints checked since the last write every
/// <see cref="DependencyHistoryOptions.SaveInterval"/> and once more at shutdown, in one transaction each time. Keys no
/// longer registered are deleted from the store at the next write.
/// </summary>
internal sealed class EndpointHistoryPersistence(
    HealthStateStore states,
    EndpointStoreHolder holder,
    IOptions<DependencyHealthOptions> options,
    TimeProvider time,
    ILogger<EndpointHistoryPersistence> logger) : IAsyncDisposable
{
    private readonly Dictionary<EndpointKey, Written> _written = [];
    private readonly SemaphoreSlim _saving = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    private IEndpointStateStore? Store => holder.Store as IEndpointStateStore;

    private string Description => holder.Store?.Description ?? EndpointStoreHolder.Memory;

    /// <summary>Refills the history of every registered endpoint the store holds results of; returns how many took them.</summary>
    public async Task<int> RestoreAsync(CancellationToken cancellationToken)
    {
        if (Store is not { } store)
        {
            return 0;
        }

        IReadOnlyDictionary<EndpointKey, byte[]> saved;
        try
        {
            saved = await store.LoadStatesAsync(cancellationToken);
        }
        catch (RegistryStoreUnavailableException exception)
        {
            DependencyHealthLog.HistoryUnreadable(logger, "every endpoint", Description, exception.Message);
            return 0;
        }

        var restored = 0;
        foreach (var (key, bytes) in saved)
        {
            _written[key] = Written.Restored;
            List<HistorySample> samples;
            try
            {
                samples = EndpointHistoryCodec.Decode(bytes);
            }
            catch (FormatException exception)
            {
                DependencyHealthLog.HistoryUnreadable(logger, key.ToString(), Description, exception.Message);
                continue;
            }

            if (states.TryGet(key, out var entry) && entry.Restore(samples))
            {
                restored++;
            }
        }

        DependencyHealthLog.HistoryRestored(logger, restored, Description);
        return restored;
    }

    /// <summary>Starts the periodic writes.</summary>
    public void Start()
    {
        if (Store is { } store)
        {
            _loop = Task.Run(() => SaveEveryIntervalAsync(store, _stopping.Token), CancellationToken.None);
        }
    }

    /// <summary>Stops the periodic writes and writes what changed since the last one (call after the scheduler stopped).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop;
        if (Store is { } store)
        {
            await SaveAsync(store, cancellationToken);
        }
    }

    /// <summary>Writes the endpoints checked since their last write and deletes the keys no longer registered; returns how many were written.</summary>
    public async Task<int> SaveAsync(IEndpointStateStore store, CancellationToken cancellationToken)
    {
        await _saving.WaitAsync(cancellationToken);
        try
        {
            var started = time.GetTimestamp();
            var changed = new List<KeyValuePair<EndpointKey, byte[]>>();
            var marks = new List<(EndpointKey Key, Written Mark)>();
            var registered = new HashSet<EndpointKey>();
            var history = new List<HistorySample>();
            foreach (var entry in states.Sorted())
            {
                if (entry.IsRemoved)
                {
                    continue;
                }

                registered.Add(entry.Key);
                // An entry not checked yet has nothing new: what the store holds for its key (restored results) stays.
                var checks = entry.Read().CheckCount;
                if (checks == 0 || (_written.TryGetValue(entry.Key, out var written) && written == new Written(entry.Generation, checks)))
                {
                    continue;
                }

                checks = entry.ReadHistory(history);
                changed.Add(new(entry.Key, EndpointHistoryCodec.Encode(history)));
                marks.Add((entry.Key, new Written(entry.Generation, checks)));
            }

            var removed = _written.Keys.Where(key => !registered.Contains(key)).ToList();
            if (changed.Count == 0 && removed.Count == 0)
            {
                return 0;
            }

            try
            {
                await store.SaveStatesAsync(changed, removed, cancellationToken);
            }
#pragma warning disable CA1031 // A store that cannot be written (unreachable, disk full) must end neither the writes nor the application.
            catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
            {
                DependencyHealthLog.HistorySaveFailed(logger, Description, exception.Message);
                return 0;
            }

            foreach (var (key, mark) in marks)
            {
                _written[key] = mark;
            }

            foreach (var key in removed)
            {
                _written.Remove(key);
            }

            var elapsed = (long)time.GetElapsedTime(started).TotalMilliseconds;
            DependencyHealthLog.HistorySaved(logger, changed.Count, removed.Count, Description, elapsed);
            return changed.Count;
        }
        finally
        {
            _saving.Release();
        }
    }

    /// <summary>Stops the periodic writes without a last one, when the host disposes this without stopping it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop;
    }

    private async Task SaveEveryIntervalAsync(IEndpointStateStore store, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Value.History.SaveInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await SaveAsync(store, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>What the store holds for a key: the results of that entry (generation) after that many checks.</summary>
    private readonly record struct Written(long Generation, long Checks)
    {
        /// <summary>Results restored at startup, which no entry of this process wrote.</summary>
        public static readonly Written Restored = new(0, 0);
    }
}
