using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>
/// Evaluation of rank-N values: an image input fed its storage matrix, errors that name the input's every axis and
/// the element's index on every axis, fused elementwise chains, plans reused across batch sizes, rewrites that keep axes.
/// </summary>
public class RankNEvaluationTests
{
    private static Matrix<double> Random(Shape shape, int seed, Func<Random, double>? element = null) =>
        TestData.Matrix(new Random(seed), shape, element ?? TestData.Unit);

    [Fact]
    public void AnImageInputIsFedItsPixelsAsOneColumnPerExample()
    {
        var x = Graph.Input("X", Shape.Of(28, 28, 1, Shape.Batch));
        var pixels = Random(new Shape(784, 3), 1);
        var doubled = (2.0 * x).Evaluate(new Feed { { x, pixels } });
        Assert.Equal((pixels * 2).Enumerate(), doubled.Enumerate());
        Assert.Equal(784, Op.Flatten(x).Evaluate(new Feed { { x, pixels } }).RowCount);
    }

    [Fact]
    public void AWrongSizeFeedNamesTheInputItsShapeAndTheStorageItExpects()
    {
        var x = Graph.Input("Images", Shape.Of(28, 28, 1, Shape.Batch));
        var error = Assert.Throws<ArgumentException>(() => Op.Tanh(x).Evaluate(new Feed { { x, Random(new Shape(28, 28), 2) } }));
        Assert.Contains("'Images'", error.Message);
        Assert.Contains("28×28×1×m (stored as 784×m)", error.Message);
        Assert.Contains("fed 28×28", error.Message);
        Assert.Contains("one column per example", error.Message);
    }

    [Fact]
    public void ANonFiniteValueIsReportedAtItsIndexOnEveryAxisAndItsExample()
    {
        var x = Graph.Input("X", Shape.Of(28, 28, 1, Shape.Batch));
        var pixels = Random(new Shape(784, 8), 3, r => 0.5 + r.NextDouble());
        pixels[3 * 28 + 17, 5] = 0;
        var log = Op.Log(x);
        var error = Assert.Throws<NonFiniteValueException>(() => log.Evaluate(new Feed { { x, pixels } }));
        Assert.Contains("at (3, 17, 0) of example 5", error.Message);
        pixels[3 * 28 + 17, 5] = double.NaN;
        var fed = Assert.Throws<ArgumentException>(() => log.Evaluate(new Feed { { x, pixels } }));
        Assert.Contains("at (3, 17, 0) of example 5", fed.Message);
        var kernel = Graph.Variable("K", Shape.Of(3, 3, 2, 4), Random(new Shape(18, 4), 4));
        kernel.Value[(2 * 3 + 1) * 2 + 1, 3] = double.PositiveInfinity;
        var held = Assert.Throws<NonFiniteValueException>(() => Op.Sum(Op.Flatten(kernel)).Evaluate());
        Assert.Contains("'K'", held.Message);
        Assert.Contains("at (2, 1, 1, 3)", held.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(300)]
    [InlineData(1100)]
    public void AFusedElementwiseChainOverImagesGivesWhatTheUnfusedStepsGive(int m)
    {
        var x = Graph.Input("X", Shape.Of(4, 4, 2, Shape.Batch));
        var v = Graph.Variable("V", Shape.Of(4, 4, 2, 1), Random(Shape.Of(4, 4, 2, 1), 5));
        var chain = Op.Sigmoid(Op.Tanh(x * v + 0.5) * 3.0 - Op.Exp(x));
        Assert.Equal(Shape.Of(4, 4, 2, Shape.Batch), chain.Shape);
        var feed = new Feed { { x, Random(new Shape(32, m), 6) } };
        var fused = new EvaluationPlan([chain]).Run(feed).Tensor(chain).ToMatrixCopy();
        var unfused = new EvaluationPlan([chain]) { Fuse = false }.Run(feed).Tensor(chain).ToMatrixCopy();
        Assert.Equal(unfused.Enumerate(), fused.Enumerate());
        var xs = feed.Single().Value;
        for (int j = 0; j < m; j += Math.Max(1, m / 7))
            for (int i = 0; i < 32; i++)
            {
                double e = 1 / (1 + Math.Exp(-(Math.Tanh(xs[i, j] * v.Value[i, 0] + 0.5) * 3.0 - Math.Exp(xs[i, j]))));
                Assert.Equal(e, fused[i, j], 1e-12);
            }
    }

    [Fact]
    public void RewritesKeepEveryAxis()
    {
        var x = Graph.Input("X", Shape.Of(3, 2, 2, Shape.Batch));
        var twice = Op.Tanh(x) + Op.Tanh(x) * 1.0;   // CSE and the multiplicative identity
        var compiled = Compiler.Compile([twice, Op.Exp(Graph.Filled(Shape.Of(3, 2, 2), 0.0))]);
        Assert.Equal(Shape.Of(3, 2, 2, Shape.Batch), compiled.Outputs[0].Shape);
        Assert.Equal(Shape.Of(3, 2, 2), compiled.Outputs[1].Shape);
        Assert.All(Graph.Order(compiled.Outputs), n => Assert.True(n.Shape.Rank == 2 ? n.Shape.IsScalar : n.Shape.Rank == 4 || n.Shape.Rank == 3, $"{n.Label} is {n.Shape}"));
    }

    /// <summary>Batch sizes around the plan's switches (fused blocks from 32K elements of a 32-row value, parallel elementwise work from 2¹⁶).</summary>
    private static readonly int[] Sizes = [0, 1, 2, 7, 8, 9, 64, 1023, 1024, 1025, 2047, 2048, 2100];

    [Property(MaxTest = 10)]
    public Property APlanReusedAcrossBatchSizesOfImagesGivesWhatAFreshPlanGives(PositiveInt seed)
    {
        var random = new Random(seed.Get);
        var x = Graph.Input("X", Shape.Of(4, 4, 2, Shape.Batch));
        var v = Graph.Variable("V", Shape.Of(4, 4, 2, 1), Random(Shape.Of(4, 4, 2, 1), seed.Get));
        var w = Graph.Variable("W", Random(new Shape(3, 32), seed.Get + 1));
        var a = Op.Tanh(x * v + 0.1);
        var z = Op.MatMul(w, Op.Flatten(a));
        var cost = Op.Sum(Op.Square(z)) + Op.Sum(Op.Sum(Op.Flatten(Op.Sigmoid(a))));
        Node[] outputs = [a, z, cost, .. Gradients.Of(cost, v, w)];
        var plan = new EvaluationPlan(outputs);
        var history = new List<int>();
        for (int run = 0; run < 8; run++)
        {
            int m = Sizes[random.Next(Sizes.Length)];
            history.Add(m);
            if (random.Next(2) == 0) v.Value.MapInplace(t => t * 0.9 + 0.01);
            var feed = new Feed { { x, TestData.Matrix(random, new Shape(32, m), TestData.Unit) } };
            var reused = plan.Run(feed);
            var fresh = new EvaluationPlan(outputs).Run(feed);
            foreach (var output in outputs)
                if (!reused[output].Enumerate().Select(BitConverter.DoubleToInt64Bits).SequenceEqual(fresh[output].Enumerate().Select(BitConverter.DoubleToInt64Bits)))
                    return false.Label($"after m = {string.Join(", ", history)}: {output.Label} differs from a fresh plan's");
        }
        return true.ToProperty();
    }
}
