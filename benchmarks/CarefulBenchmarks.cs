using BenchmarkDotNet.Attributes;
using GraphDiff.Kernels;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Benchmarks;

/// <summary>BenchmarkDotNet: GraphDiff's GEMM against MathNet's product (the baseline) on square sizes.</summary>
[MemoryDiagnoser]
public class GemmVersusMathNet
{
    private Matrix<double> a = null!, b = null!, c = null!;

    /// <summary>The matrix size n of the n×n·n×n product.</summary>
    [Params(64, 256, 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new MathNet.Numerics.Distributions.ContinuousUniform(-1, 1, new Random(1));
        a = DenseMatrix.CreateRandom(Size, Size, random);
        b = DenseMatrix.CreateRandom(Size, Size, random);
        c = new DenseMatrix(Size, Size);
    }

    [Benchmark(Baseline = true)]
    public void MathNet() => a.Multiply(b, c);

    [Benchmark]
    public void GraphDiff() => Gemm.Multiply(1, a, false, b, false, 0, c);
}
