namespace DepHealth.AspNetCore.Checks.Amqp;

/// <summary>
/// Waits for a RabbitMQ.Client operation with the check's token. The client does not always honour the token
/// (a connection handshake waits for its own continuation timeout), so the check stops waiting at cancellation and
/// a connection or channel that opens afterwards is closed by the cleanup function.
/// </summary>
internal static class AmqpAbandon
{
    public static async Task<T> WaitAsync<T>(Task<T> operation, Func<T, Task> cleanup, CancellationToken cancellationToken)
    {
        try
        {
            return await operation.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (!operation.IsCompleted)
        {
            _ = operation.ContinueWith(
                static async (done, state) =>
                {
                    if (!done.IsCompletedSuccessfully)
                    {
                        _ = done.Exception;
                        return;
                    }

                    try
                    {
                        await ((Func<T, Task>)state!)(done.Result);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        // Best effort: the check that wanted this resource has already ended.
                    }
                },
                cleanup,
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default).Unwrap();
            throw;
        }
    }
}
