using System.Diagnostics;

namespace DepHealth.AspNetCore.OpsTests.Infrastructure;

/// <summary>Polls until a value is accepted or a deadline passes; never a fixed sleep.</summary>
public static class Eventually
{
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> accept, string because, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        while (true)
        {
            T value;
            Exception? error = null;
            try
            {
                value = await read();
                if (accept(value))
                {
                    return value;
                }
            }
            catch (HttpRequestException e)
            {
                value = default!;
                error = e;
            }

            if (deadline.Elapsed > limit)
            {
                Assert.Fail($"Timed out after {limit.TotalSeconds:0.#} s waiting until {because}; last value: {(error is null ? value : error.Message)}");
            }

            await Task.Delay(100);
        }
    }
}
