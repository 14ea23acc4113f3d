namespace GraphDiff.Benchmarks;

/// <summary>What the figures were measured on.</summary>
internal static class Machine
{
    /// <summary>The CPU's model name from /proc/cpuinfo, else the architecture.</summary>
    public static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>
    /// The share of the machine's cores that other processes used while <paramref name="measure"/> ran (Linux: the
    /// system's busy time from /proc/stat less this process's CPU time), or null where that cannot be read. A figure
    /// taken while other work ran comes out low; the benchmark says so rather than leave the reader to guess.
    /// </summary>
    public static double? OthersShare(Action measure)
    {
        var self = System.Diagnostics.Process.GetCurrentProcess();
        long? before = BusyTicks();
        var ours = self.TotalProcessorTime;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        measure();
        long? after = BusyTicks();
        self.Refresh();
        if (before is null || after is null) return null;
        double busySeconds = (after.Value - before.Value) / 100.0;   // USER_HZ: 100 ticks per second on Linux
        double othersSeconds = busySeconds - (self.TotalProcessorTime - ours).TotalSeconds;
        return Math.Clamp(othersSeconds / (clock.Elapsed.TotalSeconds * Environment.ProcessorCount), 0, 1);
    }

    private static long? BusyTicks()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // cpu user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
            long busy = 0;
            for (int i = 1; i <= 8 && i < fields.Length; i++)
                if (i != 4 && i != 5) busy += long.Parse(fields[i], System.Globalization.CultureInfo.InvariantCulture);
            return busy;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return null; }
    }
}
