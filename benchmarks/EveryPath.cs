using System.Globalization;
using GraphDiff.Kernels;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Benchmarks;

/// <summary>
/// Each vector path forced in turn on this machine — 512-bit, 256-bit, 128-bit (ARM64's width) and scalar — for
/// GEMM 1024² on one core and for sigmoid over 10⁶ doubles, each against MathNet in the same run: the paths other
/// CPUs take, measured here. A path wider than the CPU runs emulated (slowly), and says so.
/// </summary>
internal static class EveryPath
{
    public static void Run(Report report)
    {
        const int n = 1024;
        var random = new Random(2);
        var a = DenseMatrix.Create(n, n, (_, _) => random.NextDouble());
        var b = DenseMatrix.Create(n, n, (_, _) => random.NextDouble());
        var c = new DenseMatrix(n, n);
        double flops = 2.0 * n * n * n;
        double mathNetGemm = flops / Timing.BestSeconds(() => a.Multiply(b, c), budgetSeconds: 1, maxRuns: 2, minRuns: 1) / 1e9;
        var x = DenseMatrix.Create(1000, 1000, (_, _) => random.NextDouble() * 20 - 10);
        var y = new DenseMatrix(1000, 1000);
        var xs = Tensor.Of(x).Array; var ys = Tensor.Of(y).Array;
        double mathNetSigmoid = Timing.BestSeconds(() => x.Map(v => 1 / (1 + Math.Exp(-v)), y));
        report.Line($"{"forced path",-30} {"GEMM 1024², 1 core",20} {"vs MathNet",11} {"sigmoid 10⁶",12} {"vs MathNet",11}");
        foreach (var (name, kernel, bits) in new[] { ("512-bit (AVX-512)", GemmKernel.Vector512, 512), ("256-bit (AVX2)", GemmKernel.Vector256, 256),
                     ("128-bit (ARM64 AdvSimd width)", GemmKernel.Vector128, 128), ("scalar", GemmKernel.Scalar, 64) })
        {
            bool emulated = bits > LaneWidth.Native;
            var options = new GemmOptions { Kernel = kernel, Threads = 1 };
            double gflops = flops / Timing.BestSeconds(() => Gemm.Multiply(1, Tensor.Of(a), false, Tensor.Of(b), false, 0, Tensor.Of(c), options), budgetSeconds: 1, maxRuns: 5, minRuns: 1) / 1e9;
            double sigmoid;
            using (LaneWidth.Force(bits)) sigmoid = Timing.BestSeconds(() => VectorMath.Sigmoid(xs, ys));
            report.Line(string.Create(CultureInfo.InvariantCulture,
                $"{name + (emulated ? " (emulated)" : ""),-30} {gflops,12:F1} GFLOP/s {gflops / mathNetGemm,9:F1}× {sigmoid * 1e3,9:F2}ms {mathNetSigmoid / sigmoid,9:F1}×"));
            report.Record($"path {bits}", gflops, 0, mathNetSigmoid / sigmoid, gflops / mathNetGemm);
        }
    }
}
