using GraphDiff.Tensors;

namespace GraphDiff.Tests;

/// <summary>
/// TensorMath.ForEachPart, the kernels' worker threads: every part runs exactly once whatever the count (0, 1, the
/// number of cores, many more), back-to-back jobs after the workers went to sleep, a job inside a job and jobs from
/// several threads at once (they run their parts on their own thread), and a part's exception comes back to the
/// caller once every part has finished.
/// </summary>
public class ForEachPartTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(64)]
    [InlineData(1000)]
    public void EveryPartRunsExactlyOnce(int parts)
    {
        var runs = new int[parts];
        TensorMath.ForEachPart(parts, p => Interlocked.Increment(ref runs[p]));
        Assert.All(runs, r => Assert.Equal(1, r));
    }

    [Fact]
    public void JobsAfterTheWorkersSleptStillRunEveryPart()
    {
        for (int round = 0; round < 3; round++)
        {
            Thread.Sleep(round * 30);   // past the workers' spin: they are asleep, and must be woken
            var runs = new int[8];
            TensorMath.ForEachPart(8, p => { Thread.SpinWait(1000); Interlocked.Increment(ref runs[p]); });
            Assert.All(runs, r => Assert.Equal(1, r));
        }
    }

    [Fact]
    public void AJobInsideAJobRunsOnItsOwnThread()
    {
        var runs = new int[4, 5];
        TensorMath.ForEachPart(4, outer => TensorMath.ForEachPart(5, inner => Interlocked.Increment(ref runs[outer, inner])));
        foreach (int r in runs) Assert.Equal(1, r);
    }

    [Fact]
    public void JobsFromSeveralThreadsAtOnceAllComplete()
    {
        const int Callers = 8, Jobs = 200, Parts = 7;
        var totals = new long[Callers];
        Parallel.For(0, Callers, new ParallelOptions { MaxDegreeOfParallelism = Callers }, caller =>
        {
            for (int job = 0; job < Jobs; job++)
            {
                var runs = new int[Parts];
                TensorMath.ForEachPart(Parts, p => Interlocked.Increment(ref runs[p]));
                totals[caller] += runs.Sum();
                Assert.All(runs, r => Assert.Equal(1, r));
            }
        });
        Assert.All(totals, t => Assert.Equal(Jobs * Parts, t));
    }

    [Fact]
    public void APartsExceptionReachesTheCallerAfterEveryPartFinished()
    {
        var runs = new int[16];
        var e = Assert.Throws<InvalidOperationException>(() => TensorMath.ForEachPart(16, p =>
        {
            Interlocked.Increment(ref runs[p]);
            if (p == 5) throw new InvalidOperationException("part 5 failed");
        }));
        Assert.Equal("part 5 failed", e.Message);
        Assert.All(runs, r => Assert.Equal(1, r));
        // The workers are free again.
        var after = new int[4];
        TensorMath.ForEachPart(4, p => after[p]++);
        Assert.All(after, r => Assert.Equal(1, r));
    }

    /// <summary>
    /// The same when the parts run on the caller's thread alone (a nested call while the workers are busy): this made
    /// the test above fail at random when another test's job held the workers.
    /// </summary>
    [Fact]
    public void ANestedJobsExceptionAlsoComesAfterEveryPart()
    {
        var runs = new int[16];
        string? message = null;
        TensorMath.ForEachPart(2, outer =>
        {
            if (outer != 0) return;
            var e = Assert.Throws<InvalidOperationException>(() => TensorMath.ForEachPart(16, p =>
            {
                Interlocked.Increment(ref runs[p]);
                if (p == 5) throw new InvalidOperationException("part 5 failed");
            }));
            message = e.Message;
        });
        Assert.Equal("part 5 failed", message);
        Assert.All(runs, r => Assert.Equal(1, r));
    }

    /// <summary>
    /// The allocation-free form reuses one job description per state type: thousands of back-to-back jobs with the same
    /// state type and changing part counts each run every part exactly once with their own state, and no part of an
    /// earlier job runs late (a worker that saw an earlier job cannot claim a part of a later one).
    /// </summary>
    [Fact]
    public void TheStateFormRunsEveryPartOnceWithItsOwnJobsState()
    {
        const int Jobs = 3000;
        int[] counts = [2, 3, 5, 17, 1, 0, 64];
        var all = new int[Jobs][];
        for (int job = 0; job < Jobs; job++)
        {
            var runs = all[job] = new int[counts[job % counts.Length]];
            var seen = new int[runs.Length];
            TensorMath.ForEachPart(runs.Length, (job, runs, seen), static (s, p) =>
            {
                s.seen[p] = s.job;
                Interlocked.Increment(ref s.runs[p]);
            });
            Assert.All(runs, r => Assert.Equal(1, r));
            Assert.All(seen, j => Assert.Equal(job, j));
        }
        Thread.Sleep(20);
        for (int job = 0; job < Jobs; job++) Assert.All(all[job], r => Assert.Equal(1, r));
    }

    [Fact]
    public void StateJobsFromSeveralThreadsAtOnceEachRunTheirOwnParts()
    {
        const int Callers = 6, Jobs = 300;
        var failures = new List<string>();
        Parallel.For(0, Callers, new ParallelOptions { MaxDegreeOfParallelism = Callers }, caller =>
        {
            for (int job = 0; job < Jobs; job++)
            {
                var runs = new long[3 + (job + caller) % 9];
                long tag = caller * 1_000_000L + job;
                TensorMath.ForEachPart(runs.Length, (tag, runs), static (s, p) => Interlocked.Add(ref s.runs[p], s.tag));
                if (runs.Any(r => r != tag)) lock (failures) failures.Add($"caller {caller}, job {job}: [{string.Join(", ", runs)}]");
            }
        });
        Assert.Empty(failures);
    }

    [Fact]
    public void TheStateFormRethrowsAPartsExceptionAfterEveryPartAndRefusesBadArguments()
    {
        var runs = new int[16];
        var e = Assert.Throws<InvalidOperationException>(() => TensorMath.ForEachPart(16, runs, static (r, p) =>
        {
            Interlocked.Increment(ref r[p]);
            if (p == 9) throw new InvalidOperationException("part 9 failed");
        }));
        Assert.Equal("part 9 failed", e.Message);
        Assert.All(runs, r => Assert.Equal(1, r));
        Assert.Throws<ArgumentOutOfRangeException>(() => TensorMath.ForEachPart(-1, 0, static (_, _) => { }));
        Assert.Throws<ArgumentNullException>(() => TensorMath.ForEachPart<int>(3, 0, null!));
    }

    [Fact]
    public void ANegativeCountIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TensorMath.ForEachPart(-5, _ => { }));

    [Fact]
    public void ANullBodyIsRefused() =>
        Assert.Throws<ArgumentNullException>(() => TensorMath.ForEachPart(3, null!));
}
