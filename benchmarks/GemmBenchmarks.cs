using System.Globalization;
using GraphDiff.Kernels;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Benchmarks;

/// <summary>One product to time: op(A) is M×K, op(B) is K×N.</summary>
internal sealed record GemmShape(string Label, int M, int N, int K, bool TransposeA = false, bool TransposeB = false)
{
    public double Flops => 2.0 * M * N * K;

    public (Matrix<double> A, Matrix<double> B, Matrix<double> C) Operands(Random random)
    {
        var a = TransposeA ? DenseMatrix.CreateRandom(K, M, new MathNet.Numerics.Distributions.ContinuousUniform(-1, 1, random))
                           : DenseMatrix.CreateRandom(M, K, new MathNet.Numerics.Distributions.ContinuousUniform(-1, 1, random));
        var b = TransposeB ? DenseMatrix.CreateRandom(N, K, new MathNet.Numerics.Distributions.ContinuousUniform(-1, 1, random))
                           : DenseMatrix.CreateRandom(K, N, new MathNet.Numerics.Distributions.ContinuousUniform(-1, 1, random));
        return (a, b, new DenseMatrix(M, N));
    }

    /// <summary>MathNet's own product for the same op(A)·op(B), the baseline.</summary>
    public void MathNet(Matrix<double> a, Matrix<double> b, Matrix<double> c)
    {
        switch (TransposeA, TransposeB)
        {
            case (false, false): a.Multiply(b, c); break;
            case (true, false): a.TransposeThisAndMultiply(b, c); break;
            case (false, true): a.TransposeAndMultiply(b, c); break;
            default: b.Multiply(a).Transpose(c); break;
        }
    }
}

internal static class GemmBenchmarks
{
    public static readonly GemmShape[] Shapes =
    [
        new("64²", 64, 64, 64),
        new("256²", 256, 256, 256),
        new("1024²", 1024, 1024, 1024),
        new("2048²", 2048, 2048, 2048),
        new("W·X 20×12288·12288×209", 20, 209, 12288),
        new("dZ·Xᵀ 20×209·(12288×209)ᵀ", 20, 12288, 209, TransposeB: true),
        new("Wᵀ·dZ (20×12288)ᵀ·20×209", 12288, 209, 20, TransposeA: true),
        new("W·X 128×784·784×64", 128, 64, 784),
        new("dZ·Xᵀ 128×64·(784×64)ᵀ", 128, 784, 64, TransposeB: true),
        new("Wᵀ·dZ (128×784)ᵀ·128×64", 784, 64, 128, TransposeA: true),
    ];

    public static void Run(double peakOneCore, double peakAllCores, Report report)
    {
        var random = new Random(42);
        report.Line($"{"GEMM",-32} {"GFLOP/s",8} {"% peak",7} {"1 core",8} {"% 1-core",8} {"MathNet",8} {"speed-up",9}");
        foreach (var shape in Shapes)
        {
            var (a, b, c) = shape.Operands(random);
            double budget = shape.Flops > 1e9 ? 1.0 : 0.3;
            // Many short runs for small products: the best of them is the figure least disturbed by the other core's work.
            int runs = shape.Flops > 1e9 ? 20 : 400;
            double all = shape.Flops / Timing.BestSeconds(() => Gemm.Multiply(1, Tensor.Of(a), shape.TransposeA, Tensor.Of(b), shape.TransposeB, 0, Tensor.Of(c)), budget, runs) / 1e9;
            var single = new GemmOptions { Threads = 1 };
            double one = shape.Flops / Timing.BestSeconds(() => Gemm.Multiply(1, Tensor.Of(a), shape.TransposeA, Tensor.Of(b), shape.TransposeB, 0, Tensor.Of(c), single), budget, runs) / 1e9;
            // MathNet is ~30x slower: fewer runs keep quick mode quick.
            double mathNet = shape.Flops / Timing.BestSeconds(() => shape.MathNet(a, b, c), budget, maxRuns: shape.Flops > 1e9 ? 1 : 10, minRuns: 1) / 1e9;
            report.Line(string.Create(CultureInfo.InvariantCulture,
                $"{shape.Label,-32} {all,8:F1} {all / peakAllCores,7:P0} {one,8:F1} {one / peakOneCore,8:P0} {mathNet,8:F2} {all / mathNet,8:F1}×"));
            report.Record($"gemm {shape.Label}", all, all / peakAllCores, all / mathNet, one / peakOneCore);
        }
        Float32(report);
    }

    /// <summary>GEMM 1024² in float (issue #21) against the float FMA peak measured now, and against the double product.</summary>
    private static void Float32(Report report)
    {
        const int n = 1024;
        double flops = 2.0 * n * n * n, peakOne = Peak.OneCore(single: true), peakAll = Peak.AllCores(single: true);
        var random = new Random(7);
        float[] Fill() => Enumerable.Range(0, n * n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        float[] a = Fill(), b = Fill(), c = new float[n * n];
        double[] ad = a.Select(x => (double)x).ToArray(), bd = b.Select(x => (double)x).ToArray(), cd = new double[n * n];
        void Run(GemmOptions options) => Gemm.Multiply(n, n, n, 1f, a, 0, n, false, b, 0, n, false, 0f, c, 0, n, options);
        double all = flops / Timing.BestSeconds(() => Run(GemmOptions.Default), 1.0, 20) / 1e9;
        double one = flops / Timing.BestSeconds(() => Run(new GemmOptions { Threads = 1 }), 1.0, 20) / 1e9;
        double asDouble = flops / Timing.BestSeconds(() => Gemm.Multiply(n, n, n, 1, ad, n, false, bd, n, false, 0, cd, n, GemmOptions.Default), 1.0, 20) / 1e9;
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"GEMM 1024² float32: {all:F1} GFLOP/s on all cores, {all / peakAll:P0} of the float peak ({peakAll:F1}); one core {one / peakOne:P0} of its float peak ({peakOne:F1}); {all / asDouble:F2}× the double product's speed"));
        report.Record("gemm 1024² float", all, all / peakAll, all / asDouble, one / peakOne);
    }
}
