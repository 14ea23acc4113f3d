using System.Collections.Concurrent;
using System.Diagnostics;
using GraphDiff.Nn;
using GraphDiff.Tests.Nn;
using static GraphDiff.Tests.Reliability.SaveFaultTests;

namespace GraphDiff.Tests.Reliability;

/// <summary>
/// One path saved from several threads or processes while another loads it: every save succeeds, the last rename
/// wins, and every load is one complete model that was saved, never "file not found" and never a mixture.
/// </summary>
public class SaveConcurrencyTests
{
    private const int Threads = 8, SavesPerThread = 15, Rounds = 3;

    /// <summary>Save s (1-based) of thread t holds generation 1000·(t + 1) + s; the file starts as generation 0.</summary>
    private static bool IsSaved(double generation) =>
        generation == 0 || generation % 1 == 0 && generation / 1000 is >= 1 and < Threads + 1 && generation % 1000 is >= 1 and <= SavesPerThread;

    [Fact]
    public void EverySaveFromManyThreadsSucceedsAndEveryLoadIsACompleteSavedModel()
    {
        for (int round = 0; round < Rounds; round++)
        {
            using var dir = new TempDirectory();
            var path = dir.File("shared.gdmodel");
            ModelFile.Save(Generation(0), path);
            var failures = new ConcurrentQueue<string>();
            int loads = 0, saving = Threads;
            var start = new Barrier(Threads + 1);

            var loader = new Thread(() =>
            {
                start.SignalAndWait();
                while (Volatile.Read(ref saving) > 0)
                {
                    try
                    {
                        double g = GenerationOf(ModelFile.Load(path));
                        if (!IsSaved(g)) failures.Enqueue($"a load gave generation {g}, which no save wrote");
                        loads++;
                    }
                    catch (Exception e) { failures.Enqueue($"load: {e.GetType().Name}: {e.Message}"); }
                }
            });
            var savers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
            {
                start.SignalAndWait();
                for (int s = 1; s <= SavesPerThread; s++)
                {
                    try { ModelFile.Save(Generation(1000 * (t + 1) + s), path); }
                    catch (Exception e) { failures.Enqueue($"thread {t}, save {s}: {e.GetType().Name}: {e.Message}"); }
                }
                Interlocked.Decrement(ref saving);
            })).ToArray();
            loader.Start();
            foreach (var saver in savers) saver.Start();
            foreach (var saver in savers) saver.Join();
            loader.Join();

            Assert.True(failures.IsEmpty, $"round {round}: {failures.Count} failures:\n{string.Join("\n", failures.Take(10))}");
            Assert.True(loads > 0, "the loader never ran while the savers did");
            // The last rename wins: it is the last save of whichever thread renamed last.
            Assert.Equal(SavesPerThread, GenerationOf(ModelFile.Load(path)) % 1000);
            Assert.Empty(Temporaries(dir.Path));
        }
    }

    [Fact]
    public void SavesFromSeveralProcessesWhileThisOneLoadsNeverFailAndLeaveNoTemporaryOnceLoaded()
    {
        using var dir = new TempDirectory();
        var path = dir.File("shared.gdmodel");
        var child = Path.Combine(AppContext.BaseDirectory, "SaveCrashChild.dll");
        var acknowledged = new int[3];
        var children = Enumerable.Range(0, acknowledged.Length).Select(k =>
        {
            // Child k saves generations 1,000,000·(k + 1) + 1, + 2, …: a load tells which child wrote it.
            var process = new Process { StartInfo = new ProcessStartInfo("dotnet", [child, path, (1_000_000 * (k + 1) + 1).ToString()]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false } };
            process.OutputDataReceived += (_, e) => { if (e.Data?.StartsWith("saved ", StringComparison.Ordinal) == true) Interlocked.Increment(ref acknowledged[k]); };
            process.Start();
            process.BeginOutputReadLine();
            return process;
        }).ToArray();
        try
        {
            var failures = new List<string>();
            int loads = 0;
            var clock = Stopwatch.StartNew();
            // Load until every child has saved a few times (or 30 s have passed), then for a while more.
            while (clock.Elapsed < TimeSpan.FromSeconds(30) && (acknowledged.Any(a => a < 10) || loads < 20) && !children.Any(c => c.HasExited))
            {
                if (!File.Exists(path)) continue;   // before the first save
                try
                {
                    double g = GenerationOf(ModelFile.Load(path));
                    if (g < 1_000_000 || g >= 1_000_000 * (children.Length + 1)) failures.Add($"a load gave generation {g}");
                    loads++;
                }
                catch (Exception e) { failures.Add($"load: {e.GetType().Name}: {e.Message}"); }
            }
            // A child saves until it is killed: one that has stopped had a save fail.
            foreach (var c in children)
                if (c.HasExited) Assert.Fail($"a child stopped (a save failed?): {c.StandardError.ReadToEnd()}");
            Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
            Assert.All(acknowledged, a => Assert.True(a >= 10, $"a child saved only {a} times"));
        }
        finally
        {
            foreach (var c in children) { c.Kill(entireProcessTree: true); c.WaitForExit(); c.Dispose(); }
        }
        // The children were killed, likely in the middle of a save: the next load removes what they left.
        GenerationOf(ModelFile.Load(path));
        Assert.Empty(Temporaries(dir.Path));
    }
}
