using System.Buffers.Binary;
using System.Globalization;
using System.Xml.Linq;
using GraphDiff.Nn;

namespace GraphDiff.Tests.Nn;

/// <summary>
/// The README's graph pictures, and the course networks' pictures, readable at normal size: no wider than
/// 1,600 px, both as the SVG renders now and as the PNG screenshots under docs/ (made from these SVGs by
/// <see cref="WriteFigures"/>).
/// </summary>
public class ReadmeFigureTests
{
    private const double MaxWidth = 1_600;

    /// <summary>The two pictures the README shows (by their file name under docs/), then the L-layer network's.</summary>
    internal static IEnumerable<(string Name, string Svg)> Figures()
    {
        yield return ("computation-graph", GraphSvg.Render(CourseGraph.Build().J, withBackward: true));
        var flower = PlanarData.Flower();
        var small = Network.Create([2, 4, 1], new NetworkOptions { Hidden = Activation.Tanh, Seed = 2 });
        yield return ("two-layer-network", GraphSvg.Render(small.Cost, FirstExamples(small, flower, 5), withBackward: true));
        // The course's L-layer network of week 4 (layers_dims = [12288, 20, 7, 5, 1]), on a two-feature input.
        var deep = Network.Create([2, 20, 7, 5, 1], new NetworkOptions { Seed = 2 });
        yield return ("l-layer-network", GraphSvg.Render(deep.Cost, FirstExamples(deep, flower, 5), withBackward: true));
    }

    private static Feed FirstExamples(Network network, Dataset data, int m) =>
        new() { { network.X, data.X.SubMatrix(0, 2, 0, m) }, { network.Y, data.Y.SubMatrix(0, 1, 0, m) } };

    private static double Width(string svg) => double.Parse((string)XDocument.Parse(svg).Root!.Attribute("width")!, CultureInfo.InvariantCulture);

    [Fact]
    public void TheCourseNetworksFitInSixteenHundredPixels()
    {
        foreach (var (name, svg) in Figures())
            Assert.True(Width(svg) <= MaxWidth, $"{name} is {Width(svg)} px wide");
    }

    [Fact]
    public void TheReadmeScreenshotsFitInSixteenHundredPixels()
    {
        foreach (var (name, _) in Figures().Take(2))
        {
            var png = File.ReadAllBytes(Path.Combine(Repository.Root, "docs", name + ".png"));
            int width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4));   // IHDR: the width follows the signature and the chunk header
            Assert.True(width <= MaxWidth, $"docs/{name}.png is {width} px wide");
        }
    }

    /// <summary>
    /// Regenerates docs/*.png from the SVGs with headless Chromium when GRAPHDIFF_WRITE_FIGURES=1 (a no-op
    /// otherwise): <c>GRAPHDIFF_WRITE_FIGURES=1 dotnet test --filter WriteFigures</c>.
    /// </summary>
    [Fact]
    public void WriteFigures()
    {
        if (Environment.GetEnvironmentVariable("GRAPHDIFF_WRITE_FIGURES") != "1") return;
        foreach (var (name, svg) in Figures().Take(2))
        {
            var root = XDocument.Parse(svg).Root!;
            var (w, h) = ((int)Math.Ceiling(Width(svg)), (int)Math.Ceiling(double.Parse((string)root.Attribute("height")!, CultureInfo.InvariantCulture)));
            var page = Path.Combine(Path.GetTempPath(), $"graphdiff-{name}.svg");
            File.WriteAllText(page, svg);
            string target = Path.Combine(Repository.Root, "docs", name + ".png");
            var start = new System.Diagnostics.ProcessStartInfo("chromium") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", $"--screenshot={target}", $"--window-size={w},{h}", new Uri(page).AbsoluteUri })
                start.ArgumentList.Add(arg);
            using var chromium = System.Diagnostics.Process.Start(start)!;
            _ = chromium.StandardError.ReadToEndAsync();   // dbus complaints of a headless machine
            _ = chromium.StandardOutput.ReadToEndAsync();
            Assert.True(chromium.WaitForExit(60_000), "chromium did not finish");
            Assert.True(File.Exists(target), $"chromium wrote no {target}");
        }
    }
}
