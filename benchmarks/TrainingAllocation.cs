using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Benchmarks;

/// <summary>
/// Managed bytes allocated per training step after warm-up, the trainer's loop included: the difference between a
/// long and a short run of the same training, divided by the extra steps (so start-up costs cancel). Counted on the
/// threads that run the steps (the caller and the kernel workers), as the allocation tests count them: the process's
/// total also holds the runtime's own threads (the JIT tiering methods up) and the plan's code generation, done once
/// in the background and still under way when a short run ends, which made a one-off look like bytes per step.
/// </summary>
internal static class TrainingAllocation
{
    private static long StepThreadsBytes() => GC.GetAllocatedBytesForCurrentThread() + GraphDiff.Kernels.KernelThreads.WorkersAllocatedBytes;

    public static void Run(Report report)
    {
        var random = new Random(5);
        var x = DenseMatrix.Create(20, 2048, (_, _) => random.NextDouble());
        var y = DenseMatrix.Create(1, 2048, (_, j) => j % 2);
        foreach (int? batch in new int?[] { null, 64 })
        {
            long Bytes(int epochs)
            {
                var net = Network.Create([20, 16, 1]);
                long before = StepThreadsBytes();
                Trainer.Train(net, x, y, new TrainingOptions { Epochs = epochs, BatchSize = batch, Optimizer = new Adam(0.001) });
                return StepThreadsBytes() - before;
            }
            int stepsPerEpoch = batch is { } b ? (2048 + b - 1) / b : 1;
            // Both runs long enough (even on a loaded machine) for the plan's code for its scalar steps to be generated and adopted (once per plan, in the
            // background, from its second run): that one-off allocation is then in both, and cancels.
            int shortRun = batch is null ? 1202 : 16, longRun = batch is null ? 2402 : 56;
            Bytes(longRun); // warm up (the JIT recompiles hot methods during the first long run, and allocates doing it)
            // The median of three differences: a one-off allocation (the runtime's, tiering a method up) lands in one
            // run or another, while an allocation per step is in every difference.
            var samples = Enumerable.Range(0, 3).Select(_ => (double)(Bytes(longRun) - Bytes(shortRun)) / ((longRun - shortRun) * stepsPerEpoch)).Order().ToArray();
            double perStep = samples[1];
            report.Line($"allocated per training step, 20-16-1, m = 2048, {(batch is null ? "full batch" : $"batch {batch}")}: {perStep:F1} bytes (median of {string.Join(", ", samples.Select(v => v.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))})");
            report.Record($"allocation per step {(batch is null ? "full" : "mini")}", 0, 0, perStep, 0);
        }
    }
}
