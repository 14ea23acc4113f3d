using System.Globalization;
using Microsoft.Extensions.Logging;

namespace GraphDiff.Examples;

/// <summary>What every example needs: the shipped data, an output folder, and a console logger.</summary>
public static class ExampleSupport
{
    /// <summary>Sets invariant number formatting so output reads the same everywhere.</summary>
    public static void Start() => CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

    /// <summary>A file of the repository's <c>data/</c> folder, copied beside the program at build time.</summary>
    public static string DataFile(string relative)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "data", relative);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Data file missing: {path}. Rebuild the example so data/ is copied.", path);
    }

    /// <summary>The folder for plots and saved models: <c>out/</c> under the current directory.</summary>
    public static string OutputFile(string name)
    {
        var folder = Path.Combine(Environment.CurrentDirectory, "out");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }

    /// <summary>A one-line-per-message console logger for the trainer's progress.</summary>
    public static ILogger Logger(string category) =>
        LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.IncludeScopes = false; }).SetMinimumLevel(LogLevel.Information))
            .CreateLogger(category);

    /// <summary>Percent with one decimal.</summary>
    public static string Percent(double fraction) => (fraction * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";
}
