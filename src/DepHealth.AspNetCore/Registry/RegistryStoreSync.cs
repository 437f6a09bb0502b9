using DepHealth.AspNetCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace DepHealth.AspNetCore.Registry;

/// <summary>
/// Keeps the registry in step with its store: loads every stored endpoint at startup, then applies the store's feed
/// (changes made by other replicas) until shutdown. A store that cannot be reached at startup is not fatal: the app
/// starts with what configuration declares and the feed loads the store when it can.
/// </summary>
internal sealed class RegistryStoreSync(EndpointRegistry registry, EndpointStoreHolder holder, ILogger<RegistryStoreSync> logger) : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Task _feed = Task.CompletedTask;
    private Task? _stopped;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (holder.Store is not { } store)
        {
            return;
        }

        long position = 0;
        try
        {
            var snapshot = await store.LoadAsync(cancellationToken);
            await registry.ApplyStoreChangeAsync(EndpointStoreChange.Reset(snapshot), cancellationToken);
            position = snapshot.Version;
            DependencyHealthLog.StoreLoaded(logger, snapshot.Endpoints.Count, store.Description, snapshot.Version);
        }
        catch (RegistryStoreUnavailableException exception)
        {
            DependencyHealthLog.StoreUnavailableAtStartup(logger, store.Description, exception.Message);
        }

        _feed = Task.Run(() => FollowAsync(store, position, _stopping.Token), CancellationToken.None);
    }

    /// <summary>Stops the feed once; the host may ask twice at once (WebApplication.Run's shutdown and its own stop).</summary>
    public Task StopAsync()
    {
        lock (_gate)
        {
            return _stopped ??= StopOnceAsync();
        }
    }

    /// <summary>
    /// Stops the feed without waiting when the host disposes this without stopping it. The token source is not
    /// disposed, as <c>BackgroundService</c> does not dispose its own: without a timer it holds nothing to release, and a
    /// stop may still be cancelling it on another thread.
    /// </summary>
    public void Dispose()
    {
        // The same single stop as StopAsync's: a stop that comes after this finds the memoized task.
        lock (_gate)
        {
            _stopped ??= StopOnceAsync();
        }
    }

    private async Task StopOnceAsync()
    {
        await _stopping.CancelAsync();
        await _feed;
    }

    private async Task FollowAsync(IEndpointStore store, long position, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var change in store.WatchAsync(position, cancellationToken))
            {
                try
                {
                    await registry.ApplyStoreChangeAsync(change, cancellationToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    DependencyHealthLog.StoreChangeFailed(logger, change.Kind.ToString(), change.Version, exception);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // The feed must never take the application down; monitoring goes on without it.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            DependencyHealthLog.StoreFeedStopped(logger, store.Description, exception);
        }
    }
}
