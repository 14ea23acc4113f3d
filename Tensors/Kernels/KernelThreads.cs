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
internal static class KernelThreads
{
    /// <summary>How long an idle worker spins before it sleeps.</summary>
    private static readonly long SpinTime = Stopwatch.Frequency / 500;   // 2 ms

    private static readonly object Gate = new();
    private static Job? current;
    private static long generation;
    private static int busy;
    private static Thread[]? workers;
    private static readonly SemaphoreSlim Wake = new(0);
    private static int sleeping;

    private sealed class Job(int parts, Action<int> body)
    {
        public readonly int Parts = parts;
        public readonly Action<int> Body = body;
        public int Next;
        public int Done;
        public ExceptionDispatchInfo? Failure;

        /// <summary>Takes parts until none is left; counts each one done, failed or not.</summary>
        public void Work()
        {
            int part;
            while ((part = Interlocked.Increment(ref Next) - 1) < Parts)
            {
                try { Body(part); }
                catch (Exception e) { Interlocked.CompareExchange(ref Failure, ExceptionDispatchInfo.Capture(e), null); }
                finally { Interlocked.Increment(ref Done); }
            }
        }
    }

    /// <summary>Runs <paramref name="body"/>(0 … <paramref name="parts"/>−1) on the caller and the workers, and returns when all are done.</summary>
    public static void For(int parts, Action<int> body)
    {
        if (parts <= 1 || Environment.ProcessorCount < 2 || Interlocked.CompareExchange(ref busy, 1, 0) != 0)
        {
            // On this thread alone (busy workers, a nested call): still every part, and the first failure after them,
            // as the workers' path does.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
            for (int i = 0; i < parts; i++)
            {
                try { body(i); }
                catch (Exception e) { failure ??= System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e); }
            }
            failure?.Throw();
            return;
        }
        try
        {
            EnsureWorkers();
            var job = new Job(parts, body);
            Volatile.Write(ref current, job);
            Interlocked.Increment(ref generation);
            int asleep = Volatile.Read(ref sleeping);
            if (asleep > 0) Wake.Release(asleep);
            job.Work();
            var spin = new SpinWait();
            while (Volatile.Read(ref job.Done) < parts) spin.SpinOnce(sleep1Threshold: -1);
            Volatile.Write(ref current, null);
            job.Failure?.Throw();
        }
        finally { Volatile.Write(ref busy, 0); }
    }

    private static void EnsureWorkers()
    {
        if (Volatile.Read(ref workers) is not null) return;
        lock (Gate)
        {
            if (workers is not null) return;
            var started = new Thread[Environment.ProcessorCount - 1];
            for (int i = 0; i < started.Length; i++)
            {
                started[i] = new Thread(Loop) { IsBackground = true, Name = $"GraphDiff kernel worker {i + 1}" };
                started[i].Start();
            }
            Volatile.Write(ref workers, started);
        }
    }

    private static void Loop()
    {
        long seen = Volatile.Read(ref generation);
        while (true)
        {
            long idleSince = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref generation) == seen)
            {
                if (Stopwatch.GetTimestamp() - idleSince < SpinTime) { Thread.SpinWait(20); continue; }
                Interlocked.Increment(ref sleeping);
                // A job published between the check and the increment would not release us: look again first.
                if (Volatile.Read(ref generation) == seen) Wake.Wait(50);
                Interlocked.Decrement(ref sleeping);
                idleSince = Stopwatch.GetTimestamp();
            }
            seen = Volatile.Read(ref generation);
            Volatile.Read(ref current)?.Work();
        }
    }
}
