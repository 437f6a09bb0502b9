namespace DepHealth.AspNetCore.LoadTesting;

/// <summary>The machine's load average, printed beside latency figures: other processes on the cores move them.</summary>
public static class MachineLoad
{
    /// <summary>The 1, 5 and 15 minute load averages from <c>/proc/loadavg</c>, or <c>n/a</c> where there is none.</summary>
    public static string Average()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
