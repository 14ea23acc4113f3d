using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace GraphDiff.Tests.Shipping;

/// <summary>
/// The packages as a user gets them: the libraries are packed into a local folder and a small consumer project
/// (tests/PackageConsumer), copied out of the repository, references the <b>packages</b> with warnings as
/// errors, trains logistic regression and prints its accuracy. Catches a package that misses a dependency,
/// brings a version the feed lacks (NU1603), or drags native binaries into the core.
/// </summary>
[Trait("Category", "Packaging")]
public class PackageConsumerTests(ITestOutputHelper output)
{
    private static readonly string[] Libraries =
    [
        "Tensors/GraphDiff.Tensors.csproj", "Graph/GraphDiff.Graph.csproj", "Ops/GraphDiff.Ops.csproj", "Teaching/GraphDiff.Teaching.csproj",
        "Nn/GraphDiff.Nn.csproj", "Onnx/GraphDiff.Onnx.csproj", "Plots/GraphDiff.Plots.csproj", "packaging/GraphDiff.Package.csproj",
    ];

    [Fact]
    public void AConsumerOfThePackagesTrainsLogisticRegression()
    {
        var work = Directory.CreateTempSubdirectory("graphdiff-packages-");
        try
        {
            // A copy of the sources, so that packing never rewrites the assemblies this test process has loaded.
            var source = Path.Combine(work.FullName, "source");
            foreach (var folder in new[] { "Tensors", "Graph", "Ops", "Teaching", "Nn", "Onnx", "Plots", "packaging" }) CopySources(Path.Combine(Repository.Root, folder), Path.Combine(source, folder));
            foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "README.md", "LICENSE" })
                File.Copy(Path.Combine(Repository.Root, file), Path.Combine(source, file));

            // A version no cache has seen, so that restore takes these packages and not an older build's.
            var version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + Random.Shared.Next(1000, 9999);
            var feed = Path.Combine(work.FullName, "feed");
            foreach (var project in Libraries)
            {
                var pack = Run(source, "pack", Path.Combine(source, project), "-c", "Release", "-o", feed, $"-p:Version={version}");
                Assert.True(pack.ExitCode == 0, $"dotnet pack {project} failed:\n{pack.Output}");
                Assert.DoesNotContain("warning", pack.Output, StringComparison.OrdinalIgnoreCase);
            }
            var packages = Directory.GetFiles(feed, "*.nupkg").Select(Path.GetFileName).ToArray();
            foreach (var id in new[] { "Backprop.GraphDiff", "Backprop.GraphDiff.Tensors", "Backprop.GraphDiff.Graph", "Backprop.GraphDiff.Ops", "Backprop.GraphDiff.Teaching", "Backprop.GraphDiff.Nn", "Backprop.GraphDiff.Onnx", "Backprop.GraphDiff.Plots" })
                Assert.Contains($"{id}.{version}.nupkg", packages);
            Assert.True(Directory.GetFiles(feed, "*.snupkg").Length >= 7, "symbol packages are missing: " + string.Join(", ", packages));

            // A user's project sees no build settings from the folders above it.
            File.WriteAllText(Path.Combine(work.FullName, "Directory.Build.props"), "<Project />");
            File.WriteAllText(Path.Combine(work.FullName, "Directory.Build.targets"), "<Project />");
            File.WriteAllText(Path.Combine(work.FullName, "Directory.Packages.props"), "<Project />");
            var consumer = Path.Combine(work.FullName, "consumer");
            CopySources(Path.Combine(Repository.Root, "tests", "PackageConsumer"), consumer);
            File.WriteAllText(Path.Combine(consumer, "nuget.config"),
                $"""<?xml version="1.0" encoding="utf-8"?><configuration><packageSources><add key="graphdiff-local" value="{feed}" /></packageSources></configuration>""");
            var run = Run(consumer, "run", "-c", "Release", $"-p:GraphDiffVersion={version}");
            Assert.True(run.ExitCode == 0, $"the consumer failed:\n{run.Output}");
            var accuracyLine = run.Output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("accuracy ", StringComparison.Ordinal));
            Assert.True(accuracyLine is not null, $"the consumer printed no accuracy:\n{run.Output}");
            output.WriteLine(run.Output);
            double accuracy = double.Parse(accuracyLine!["accuracy ".Length..], CultureInfo.InvariantCulture);
            Assert.InRange(accuracy, 0.85, 1.0);
            Assert.Contains("onnx ", run.Output);   // the exporter's package and its protobuf dependency load   // two blobs 3 standard deviations apart: a trained model separates most of them

            // The core packages are pure managed: no native runtime folders (the teaching package's pictures included).
            foreach (var id in new[] { "Backprop.GraphDiff.Tensors", "Backprop.GraphDiff.Graph", "Backprop.GraphDiff.Ops", "Backprop.GraphDiff.Teaching", "Backprop.GraphDiff.Nn", "Backprop.GraphDiff.Onnx" })
            {
                using var zip = System.IO.Compression.ZipFile.OpenRead(Path.Combine(feed, $"{id}.{version}.nupkg"));
                Assert.DoesNotContain(zip.Entries, e => e.FullName.StartsWith("runtimes/", StringComparison.Ordinal));
                Assert.Contains(zip.Entries, e => e.FullName == "README.md");
                Assert.Contains(zip.Entries, e => e.FullName == "LICENSE");
            }
        }
        finally
        {
            try { work.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static void CopySources(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            var parts = relative.Split(Path.DirectorySeparatorChar);
            if (parts.Any(p => p is "bin" or "obj")) continue;
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static (int ExitCode, string Output) Run(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        // The test host's MSBuild settings would point the child build at this build's SDK state.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k == "VSTEST_HOST_DEBUG").ToArray())
            start.Environment.Remove(key);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"dotnet {string.Join(' ', arguments)} timed out\n{output.Result}{error.Result}");
        }
        return (process.ExitCode, output.Result + error.Result);
    }
}
