using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Reliability;

/// <summary>
/// Shapes too large for an array, and fixed dimensions of 0, are refused where they are made; an empty batch
/// (m = 0) computes the defined empty values: sums of nothing are 0, a mean over nothing is refused as empty data.
/// </summary>
public class ShapeAndEmptyDataTests
{
    [Theory]
    [InlineData(65_536, 65_536, "34.4 GB")]
    [InlineData(46_341, 46_341, "17.2 GB")]
    [InlineData(100_000, 100_000, "80.0 GB")]
    public void AFilledConstantTooLargeForAnArrayIsRefusedWithItsSize(int rows, int columns, string bytes)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Op.Sum(Graph.Filled(new Shape(rows, columns), 1.0)));
        Assert.Contains($"{rows}×{columns}", error.Message);
        Assert.Contains(bytes, error.Message);
        Assert.Contains("Constant at ShapeAndEmptyDataTests.cs:", error.Message);   // the leaf and the line that made it
    }

    [Fact]
    public void AnInputOrAComputedNodeTooLargeIsRefused()
    {
        Assert.Contains("Input 'X'", Assert.Throws<ArgumentOutOfRangeException>(() => Graph.Input("X", 65_536, 65_536)).Message);
        var a = Graph.Input("a", 65_536, 1);
        var b = Graph.Input("b", 1, 65_536);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Op.MatMul(a, b));
        Assert.Contains("MatMul", error.Message);
        Assert.Contains("65536×65536", error.Message);
    }

    [Fact]
    public void ANodeThatOnlyOverflowsOnceMIsKnownIsRefusedWhenEvaluated()
    {
        var w = Graph.Variable("W", new DenseMatrix(60_000, 1));
        var x = Graph.Input("X", 1);
        var z = Op.MatMul(w, x).Named("Z");
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new EvaluationPlan(z).Run(new Feed { { x, new DenseMatrix(1, 40_000) } }));
        Assert.Contains("Z", error.Message);
        Assert.Contains("m = 40000", error.Message);
        Assert.Contains("60000×40000", error.Message);
    }

    [Fact]
    public void ALayerTooLargeIsRefusedNamingItAndParameterCountIsLong()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Network.Create([65_536, 65_536, 1]));
        Assert.Contains("Layer 1: W1", error.Message);
        Assert.Contains("65536×65536", error.Message);
        long count = Network.Create([784, 128, 1]).ParameterCount;
        Assert.Equal(784L * 128 + 128 + 128 + 1, count);
    }

    [Fact]
    public void AFixedDimensionOfZeroIsRefusedNamingTheLeafTheDimensionAndTheLine()
    {
        var cases = new (Action Build, string Name, string Dimension)[]
        {
            (() => Graph.Variable("v", new DenseMatrix(3, 0)), "Variable 'v'", "0 columns"),
            (() => Graph.Variable("w", new DenseMatrix(0, 3)), "Variable 'w'", "0 rows"),
            (() => Graph.Input("X", 0), "Input 'X'", "0 rows"),
            (() => Graph.Input("x", 4, 0), "Input 'x'", "0 columns"),
            (() => Graph.Filled(new Shape(0, 3), 1.0, "ones"), "'ones'", "0 rows"),
            (() => Graph.Filled(new Shape(Shape.Batch, 0), 1.0), "Constant", "0 columns"),
            (() => Graph.Constant(new DenseMatrix(2, 0), "c"), "'c'", "0 columns"),
        };
        foreach (var (build, name, dimension) in cases)
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(build);
            Assert.Contains(name, error.Message);
            Assert.Contains(dimension, error.Message);
            Assert.Contains(nameof(ShapeAndEmptyDataTests) + ".cs:", error.Message);   // the user's line
            Assert.Contains("only the batch dimension m may be 0", error.Message);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => Graph.Input("j", -3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Graph.Filled(new Shape(2, -5), 1.0));
        var layer = Assert.ThrowsAny<ArgumentException>(() => Network.Create([3, 0, 1]));
        Assert.Contains("0", layer.Message);
    }

    /// <summary>A user operation whose shape rule gives a dimension of 0.</summary>
    private sealed class ZeroShape : Operation
    {
        public override string Name => "Vanishing";
        public override Shape InferShape(IReadOnlyList<Node> inputs) => new(inputs[0].Shape.Rows, 0);
        public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result) { }
        public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [upstream];
    }

    [Fact]
    public void AUserOperationGivingADimensionOfZeroIsNamed()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Node.Apply(new ZeroShape(), [Graph.Variable("x", 1.0)]));
        Assert.Contains("Vanishing.InferShape", error.Message);
        Assert.Contains("1×0", error.Message);
        Assert.Contains(nameof(ShapeAndEmptyDataTests) + ".cs:", error.Message);
    }

    [Fact]
    public void EmptyBatchesComputeSumsOfNothingAsZero()
    {
        var x = Graph.Input("X", 3);
        var empty = new DenseMatrix(3, 0);
        var sum1 = Op.Sum(x, axis: 1);
        var sumAll = Op.Sum(x);
        var columnSums = Op.Sum(x, axis: 0);
        var softmax = Op.Softmax(x);
        var run = new EvaluationPlan(sum1, sumAll, columnSums, softmax).Run(new Feed { { x, empty } });
        Assert.Equal(0, run.BatchSize);
        Assert.Equal(new DenseMatrix(3, 1), run[sum1]);
        Assert.Equal(0.0, run.Scalar(sumAll));
        Assert.Equal(new DenseMatrix(1, 0), run[columnSums]);
        Assert.Equal(new DenseMatrix(3, 0), run[softmax]);
    }

    [Fact]
    public void MIsFixedByTheFeedWhenTheOutputsReadNoInputOfIts()
    {
        var x = Graph.Input("X", 3);
        var ones = Op.Sum(Graph.Filled(new Shape(1, Shape.Batch), 1.0));
        Assert.Equal(64, ones.EvaluateScalar(new Feed { { x, new DenseMatrix(3, 64) } }));
        Assert.Equal(0, ones.EvaluateScalar(new Feed { { x, new DenseMatrix(3, 0) } }));
        var error = Assert.Throws<ArgumentException>(() => ones.EvaluateScalar());
        Assert.Contains("nothing fixes m", error.Message);
        Assert.Contains(nameof(ShapeAndEmptyDataTests) + ".cs:", error.Message);
    }

    [Fact]
    public void AProductOverNoExamplesIsZeros()
    {
        var x = Graph.Input("X", 3);
        var w = Graph.Variable("W", DenseMatrix.Create(4, 3, 0.5));
        var z = Op.MatMul(w, x);
        var xxT = Op.MatMul(x, Op.Transpose(x));   // 3×3 from an inner dimension of m = 0
        var dW = Gradients.Of(Op.Sum(z), w)[w];
        var run = new EvaluationPlan(z, xxT, dW).Run(new Feed { { x, new DenseMatrix(3, 0) } });
        Assert.Equal(new DenseMatrix(4, 0), run[z]);
        Assert.Equal(new DenseMatrix(3, 3), run[xxT]);
        Assert.Equal(new DenseMatrix(4, 3), run[dW]);
    }

    [Fact]
    public void AMeanOverNoExamplesSaysTheDataIsEmpty()
    {
        var x = Graph.Input("X", 2);
        var mean = Op.Mean(x, axis: 1);
        var error = Assert.Throws<NonFiniteValueException>(() => new EvaluationPlan(mean).Run(new Feed { { x, new DenseMatrix(2, 0) } }));
        Assert.Contains("empty", error.Message);
        var net = Network.LogisticRegression(2);
        Assert.Contains("empty", Assert.ThrowsAny<Exception>(() => net.ComputeCost(new DenseMatrix(2, 0), new DenseMatrix(1, 0))).Message);
    }

    [Fact]
    public void TrainingOnNoExamplesSaysSo()
    {
        var net = Network.LogisticRegression(2);
        var error = Assert.Throws<ArgumentException>(() => Trainer.Train(net, new DenseMatrix(2, 0), new DenseMatrix(1, 0)));
        Assert.Contains("no examples", error.Message);
        Assert.DoesNotContain("learning rate", error.Message);
    }

    /// <summary>A user operation whose shape rule is wrong.</summary>
    private sealed class NegativeShape : Operation
    {
        public override string Name => "Broken";
        public override Shape InferShape(IReadOnlyList<Node> inputs) => new(-3, 2);
        public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result) { }
        public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [upstream];
    }

    [Fact]
    public void AUserOperationReturningANegativeShapeIsNamed()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Node.Apply(new NegativeShape(), [Graph.Variable("x", 1.0)]));
        Assert.Contains("Broken.InferShape", error.Message);
        Assert.Contains("-3", error.Message);
    }
}
