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
    public void GraphDiff() => Gemm.Multiply(1, Tensor.Of(a), false, Tensor.Of(b), false, 0, Tensor.Of(c));
}

/// <summary>BenchmarkDotNet: the graph's sigmoid, tanh and exp kernels over 10⁶ doubles against MathNet's <c>Map</c> (the baseline).</summary>
[MemoryDiagnoser]
public class ElementwiseVersusMathNet
{
    private Matrix<double> x = null!, y = null!;
    private Matrix<double>[] operands = null!;

    [GlobalSetup]
    public void Setup()
    {
        x = DenseMatrix.CreateRandom(1000, 1000, new MathNet.Numerics.Distributions.ContinuousUniform(-3, 3, new Random(1)));
        y = new DenseMatrix(1000, 1000);
        operands = [x];
    }

    [Benchmark(Baseline = true)]
    public void MathNetMapSigmoid() => x.Map(v => 1 / (1 + Math.Exp(-v)), y);

    [Benchmark]
    public void Sigmoid() => Op.SigmoidOperation.Forward(operands.Select(Tensor.Of).ToArray(), Tensor.Of(y));

    [Benchmark]
    public void Tanh() => Op.TanhOperation.Forward(operands.Select(Tensor.Of).ToArray(), Tensor.Of(y));

    [Benchmark]
    public void Exp() => Op.ExpOperation.Forward(operands.Select(Tensor.Of).ToArray(), Tensor.Of(y));
}
