using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Benchmarks;

/// <summary>
/// Managed bytes allocated per training step after warm-up, the trainer's loop included: the difference between a
/// long and a short run of the same training, divided by the extra steps (so start-up costs cancel).
/// </summary>
internal static class TrainingAllocation
{
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
                long before = GC.GetTotalAllocatedBytes(precise: true);
                Trainer.Train(net, x, y, new TrainingOptions { Epochs = epochs, BatchSize = batch, Optimizer = new Adam(0.001) });
                return GC.GetTotalAllocatedBytes(precise: true) - before;
            }
            int stepsPerEpoch = batch is { } b ? (2048 + b - 1) / b : 1;
            int shortRun = 2, longRun = batch is null ? 202 : 12;
            Bytes(longRun); // warm up (the JIT recompiles hot methods during the first long run, and allocates doing it)
            double perStep = (double)(Bytes(longRun) - Bytes(shortRun)) / ((longRun - shortRun) * stepsPerEpoch);
            report.Line($"allocated per training step, 20-16-1, m = 2048, {(batch is null ? "full batch" : $"batch {batch}")}: {perStep:N0} bytes");
            report.Record($"allocation per step {(batch is null ? "full" : "mini")}", 0, 0, perStep, 0);
        }
    }
}
