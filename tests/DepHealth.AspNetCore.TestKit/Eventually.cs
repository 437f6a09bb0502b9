using System.Diagnostics;

namespace DepHealth.AspNetCore.TestKit;

/// <summary>Polls a condition until it holds or a deadline passes; never a fixed sleep.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    public static async Task TrueAsync(Func<bool> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        while (!condition())
        {
            if (deadline.Elapsed > limit)
            {
                Assert.Fail($"Timed out after {limit.TotalSeconds:0.#} s waiting until {because}.");
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>
    /// Reads until a value is accepted. A read that throws <see cref="HttpRequestException"/> (a server still starting)
    /// counts as not yet; its message is reported if the deadline passes.
    /// </summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> accept, string because, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        while (true)
        {
            string last;
            try
            {
                var value = await read();
                if (accept(value))
                {
                    return value;
                }

                last = $"{value}";
            }
            catch (HttpRequestException exception)
            {
                last = exception.Message;
            }

            if (deadline.Elapsed > limit)
            {
                Assert.Fail($"Timed out after {limit.TotalSeconds:0.#} s waiting until {because}; last value: {last}");
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>Tries until an attempt succeeds; an exception <paramref name="transient"/> accepts is retried until the deadline.</summary>
    public static async Task<T> SucceedsAsync<T>(Func<Task<T>> attempt, Func<Exception, bool> transient, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        while (true)
        {
            try
            {
                return await attempt();
            }
            catch (Exception exception) when (transient(exception) && deadline.Elapsed < limit)
            {
                await Task.Delay(PollInterval);
            }
        }
    }
}
