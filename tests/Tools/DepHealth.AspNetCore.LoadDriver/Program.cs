using System.Globalization;
using DepHealth.AspNetCore.LoadDriver;

// Usage: dotnet DepHealth.AspNetCore.LoadDriver.dll --base-url http://127.0.0.1:PORT [--probe-rate 1000]
//   [--scrape-rate 10] [--scrape-lines N] [--scrape-last-line-prefix TEXT] [--warmup SECONDS] [--duration SECONDS] ...
// A separate process, so that the load it generates and its response buffers are not measured as the server's.
// With --warmup it first runs the same load for that long, prints that phase's summary line and waits for a line
// "go" on stdin (the server takes its baseline in between); then it runs the measured window and prints one JSON
// summary line on stdout. Exit code 0 when it ran to the end (errors are in the summary), 2 on bad arguments.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

DriverOptions options;
try
{
    options = DriverOptions.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

using var load = new OpenLoopLoad(options);
if (options.WarmUpSeconds > 0)
{
    Console.Out.WriteLine(await load.RunAsync("warm-up", options.WarmUpSeconds));
    var command = await Console.In.ReadLineAsync();
    if (command != "go")
    {
        Console.Error.WriteLine($"expected 'go' on stdin after the warm-up, got '{command}'");
        return 3;
    }
}

Console.Out.WriteLine(await load.RunAsync("measured", options.DurationSeconds));
return 0;
