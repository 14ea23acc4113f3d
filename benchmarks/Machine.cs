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
}
