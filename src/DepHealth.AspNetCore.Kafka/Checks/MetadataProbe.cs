using Confluent.Kafka;

namespace DepHealth.AspNetCore.Kafka.Checks;

/// <summary>
/// One metadata request through a fresh admin client, on a dedicated thread since <c>GetMetadata</c> blocks until the
/// answer or its timeout. The client's error callback ends the probe early with a final error (see
/// <see cref="KafkaErrors.IsFinal"/>); the thread then finishes its request and disposes the client on its own.
/// </summary>
internal sealed class MetadataProbe
{
    private readonly TaskCompletionSource<Error> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<(Metadata?, Exception?)> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _addresses;
    private int _transportFailures;

    // Written on the client's callback thread, read by the check.
    private volatile Error? _lastCause;

    private MetadataProbe(int addresses) => _addresses = addresses;

    /// <summary>Completes with the first final error the client reported.</summary>
    public Task<Error> Failed => _failed.Task;

    /// <summary>
    /// The request's outcome, the metadata or the exception, as soon as it is known (the client is disposed after);
    /// never faults, so an abandoned probe leaves no unobserved exception.
    /// </summary>
    public Task<(Metadata? Metadata, Exception? Exception)> Metadata => _outcome.Task;

    /// <summary>The last cause the client reported, final or not; "all brokers down" names none.</summary>
    public Error? LastCause => _lastCause;

    public static MetadataProbe Start(AdminClientConfig config, TimeSpan timeout, int addresses)
    {
        var probe = new MetadataProbe(addresses);
        _ = Task.Factory.StartNew(
            () => probe.Request(config, timeout), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return probe;
    }

    private void Request(AdminClientConfig config, TimeSpan timeout)
    {
        try
        {
            // librdkafka logs to stderr unless given a handler; the check's result carries the reason instead.
            using var client = new AdminClientBuilder(config)
                .SetErrorHandler((_, error) => OnError(error))
                .SetLogHandler((_, _) => { })
                .Build();

            // Known before the client's disposal, which waits for librdkafka's threads to stop.
            _outcome.TrySetResult((client.GetMetadata(timeout), null));
        }
#pragma warning disable CA1031 // Every failure is the check's outcome, classified by the caller.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _outcome.TrySetResult((null, e));
        }
    }

    private void OnError(Error error)
    {
        if (error.Code != ErrorCode.Local_AllBrokersDown)
        {
            _lastCause = error;
        }

        var transportFailures = error.Code == ErrorCode.Local_Transport
            ? Interlocked.Increment(ref _transportFailures)
            : Volatile.Read(ref _transportFailures);
        if (KafkaErrors.IsFinal(error, transportFailures, _addresses))
        {
            _failed.TrySetResult(error);
        }
    }
}
