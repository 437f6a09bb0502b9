using System.Diagnostics;

namespace DepHealth.AspNetCore.BrowserTests.Infrastructure;

/// <summary>Polls a condition until it holds or a deadline passes; never a fixed sleep.</summary>
public static class Eventually
{
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> accept, string because, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        while (true)
        {
            var value = await read();
            if (accept(value))
            {
                return value;
            }

            if (deadline.Elapsed > limit)
            {
                Assert.Fail($"Timed out after {limit.TotalSeconds:0.#} s waiting until {because}; last value: {value}");
            }

            await Task.Delay(50);
        }
    }
}
