using System.Diagnostics;
using GraphDiff.Nn;
using GraphDiff.Tests.Nn;

namespace GraphDiff.Tests.Reliability;

/// <summary>
/// A child process saves models in a loop and is killed (SIGKILL) at random moments. After every kill the file
/// loads as the last acknowledged model or the one in progress, never as a mixture or a broken file, and the
/// next save leaves no temporary file behind.
/// </summary>
public class SaveCrashTests
{
    private const int Kills = 20;

    [Fact]
    public void AKilledSaveLeavesTheLastAcknowledgedOrTheInProgressModel()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.gdmodel");
        var random = new Random(13);
        var child = Path.Combine(AppContext.BaseDirectory, "SaveCrashChild.dll");
        Assert.True(File.Exists(child), $"the child program is missing: {child}");
        int killedMidSave = 0, current = 0;   // the generation the file holds

        for (int kill = 0; kill < Kills; kill++)
        {
            int acknowledged = 0;
            var gotFirst = new ManualResetEventSlim();
            using var process = new Process
            {
                StartInfo = new ProcessStartInfo("dotnet", [child, path, (current + 1).ToString()]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false },
            };
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line && line.StartsWith("saved ", StringComparison.Ordinal))
                {
                    Volatile.Write(ref acknowledged, int.Parse(line.AsSpan(6)));
                    gotFirst.Set();
                }
            };
            process.Start();
            process.BeginOutputReadLine();
            // Kill before the first save has finished now and then, otherwise a random moment after it.
            if (kill % 4 != 0) Assert.True(gotFirst.Wait(TimeSpan.FromSeconds(30)), "the child never saved");
            Thread.Sleep(random.Next(1, 60));
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            int acked = Volatile.Read(ref acknowledged);

            if (!File.Exists(path)) { Assert.Equal(0, acked); continue; }
            var loaded = ModelFile.Load(path);
            double generation = loaded.Parameters[0].Value[0, 0];
            // Nothing acknowledged: the previous file or the first new one; else the acknowledged one or its successor.
            double floor = acked == 0 ? current : acked;
            Assert.True(generation == floor || generation == floor + 1,
                $"kill {kill}: the file holds generation {generation}, but {acked} was the last acknowledged (the file held {current} before)");
            Assert.All(loaded.Parameters, p => Assert.All(Tensor.Of(p.Value).Array, v => Assert.Equal(generation, v)));
            if (Directory.GetFiles(dir.Path, "*.tmp").Length > 0) killedMidSave++;
            current = (int)generation;
        }

        // The next save removes what the killed writers left.
        ModelFile.Save(Network.Create([784, 256, 1]), path);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
        Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        // Most of the child's time is spent inside Save: if no kill ever left a temporary, the test did not test a crash.
        Assert.True(killedMidSave > 0, $"{killedMidSave} of the {Kills} kills landed during a save");
    }
}
