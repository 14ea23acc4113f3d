using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace GraphDiff.Kernels;

/// <summary>
/// The threads the kernels split work over: the caller and one worker per further core. A worker keeps spinning for
/// <see cref="SpinTime"/> after each job before it sleeps, because a training step runs dozens of parallel parts
/// back to back with short serial steps between them, and a sleeping thread takes long to wake on a virtual machine:
/// measured on a 2-core VM, <c>Parallel.For</c> after 300 µs of serial work started its second thread about 110 µs late
/// (median); a spinning worker starts in about 3 µs. One job runs at a time; a caller that finds the workers busy
/// (another thread's job, or a job inside a job) runs its parts itself, so the parts' results must never depend on
/// which thread runs them.
/// </summary>
/// <remarks>
/// A job allocates nothing: its description lives in static fields (one job at a time), its state in one holder per
/// state type, and the parts are claimed from <see cref="claim"/>, the job's generation in the high 32 bits and the
/// parts not yet claimed in the low ones. A worker that saw an earlier job can claim nothing from a later one by
/// mistake: a claim is a compare-exchange of the whole word, and a job cannot end (so the next cannot begin) while a
/// part of it is claimed and not yet counted done; the worker reads which job it works for only after its claim.
/// </remarks>
internal static class KernelThreads
{
    /// <summary>How long an idle worker spins before it sleeps.</summary>
    private static readonly long SpinTime = Stopwatch.Frequency / 500;   // 2 ms

    private static readonly object Gate = new();
    private static int busy;
    private static Thread[]? workers;
    private static readonly SemaphoreSlim Wake = new(0);
    private static int sleeping;

    // Per worker, the bytes it had allocated when it last finished a part (for tests: a warm plan allocates nothing,
    // and the workers' allocations are theirs alone, unlike the process's total, which the test host's threads add to).
    private static long[] workerBytes = [];
    [ThreadStatic] private static int workerNumber;   // 1, 2, … on a worker; 0 elsewhere

    /// <summary>The bytes the worker threads have allocated, as of the last part each finished (0 before they start).</summary>
    internal static long WorkersAllocatedBytes
    {
        get
        {
            var each = Volatile.Read(ref workerBytes);
            long sum = 0;
            for (int i = 0; i < each.Length; i++) sum += Volatile.Read(ref each[i]);
            return sum;
        }
    }

    // The job under way: written by its caller before it publishes the job's generation in `claim`.
    private static long claim;
    private static int parts, done;
    private static Runner? runner;
    private static ExceptionDispatchInfo? failure;

    /// <summary>A job's body over its state, behind a type that does not name the state's.</summary>
    private abstract class Runner
    {
        public abstract void Run(int part);
    }

    /// <summary>The one holder of each state type: only the caller that holds the workers writes it.</summary>
    private sealed class Runner<TState> : Runner
    {
        public static readonly Runner<TState> Instance = new();
        public TState State = default!;
        public Action<TState, int> Body = null!;
        public override void Run(int part) => Body(State, part);
    }

    /// <summary>Runs <paramref name="body"/>(0 … <paramref name="parts"/>−1) on the caller and the workers, and returns when all are done.</summary>
    public static void For(int parts, Action<int> body) => For(parts, body, static (b, part) => b(part));

    /// <summary>
    /// Runs <paramref name="body"/>(<paramref name="state"/>, 0 … <paramref name="parts"/>−1) on the caller and the
    /// workers, and returns when all are done. Allocates nothing when <paramref name="body"/> is a static lambda (the
    /// compiler caches it): what a part needs travels in <paramref name="state"/>, not in a closure.
    /// </summary>
    public static void For<TState>(int parts, TState state, Action<TState, int> body)
    {
        if (parts <= 1 || Environment.ProcessorCount < 2 || Interlocked.CompareExchange(ref busy, 1, 0) != 0)
        {
            // On this thread alone (busy workers, a nested call): still every part, and the first failure after them,
            // as the workers' path does.
            ExceptionDispatchInfo? first = null;
            for (int i = 0; i < parts; i++)
            {
                try { body(state, i); }
                catch (Exception e) { first ??= ExceptionDispatchInfo.Capture(e); }
            }
            first?.Throw();
            return;
        }
        var holder = Runner<TState>.Instance;
        try
        {
            EnsureWorkers();
            holder.State = state;
            holder.Body = body;
            runner = holder;
            KernelThreads.parts = parts;
            done = 0;
            failure = null;
            long generation = (Volatile.Read(ref claim) >> 32) + 1;
            Volatile.Write(ref claim, generation << 32 | (uint)parts);   // publishes the job
            int asleep = Volatile.Read(ref sleeping);
            if (asleep > 0) Wake.Release(asleep);
            Work();
            var spin = new SpinWait();
            while (Volatile.Read(ref done) < parts) spin.SpinOnce(sleep1Threshold: -1);
            failure?.Throw();
        }
        finally
        {
            // The caller's arrays are not kept alive by a finished job.
            holder.State = default!;
            holder.Body = null!;
            runner = null;
            failure = null;
            Volatile.Write(ref busy, 0);
        }
    }

    /// <summary>Claims parts of the job under way until none is left; counts each one done, failed or not.</summary>
    private static void Work()
    {
        while (true)
        {
            long seen = Volatile.Read(ref claim);
            int left = (int)(uint)seen;
            if (left == 0) return;
            if (Interlocked.CompareExchange(ref claim, seen - 1, seen) != seen) continue;
            // Claimed: this job cannot end before the part is counted done, so what is read now is this job's.
            int part = Volatile.Read(ref parts) - left;
            try { Volatile.Read(ref runner)!.Run(part); }
            catch (Exception e) { Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null); }
            finally
            {
                if (workerNumber > 0) Volatile.Write(ref workerBytes[workerNumber - 1], GC.GetAllocatedBytesForCurrentThread());
                Interlocked.Increment(ref done);
            }
        }
    }

    private static void EnsureWorkers()
    {
        if (Volatile.Read(ref workers) is not null) return;
        lock (Gate)
        {
            if (workers is not null) return;
            var started = new Thread[Environment.ProcessorCount - 1];
            workerBytes = new long[started.Length];
            for (int i = 0; i < started.Length; i++)
            {
                int number = i + 1;
                started[i] = new Thread(() => { workerNumber = number; Loop(); }) { IsBackground = true, Name = $"GraphDiff kernel worker {number}" };
                started[i].Start();
            }
            Volatile.Write(ref workers, started);
        }
    }

    private static long Generation => Volatile.Read(ref claim) >> 32;

    private static void Loop()
    {
        long seen = Generation;
        while (true)
        {
            long idleSince = Stopwatch.GetTimestamp();
            while (Generation == seen)
            {
                if (Stopwatch.GetTimestamp() - idleSince < SpinTime) { Thread.SpinWait(20); continue; }
                Interlocked.Increment(ref sleeping);
                // A job published between the check and the increment would not release us: look again first.
                if (Generation == seen) Wake.Wait(50);
                Interlocked.Decrement(ref sleeping);
                idleSince = Stopwatch.GetTimestamp();
            }
            seen = Generation;
            Work();
        }
    }
}
