using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Reliability;

/// <summary>Shapes too large for an array are refused where they are made; empty data computes the right empty values.</summary>
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
        Assert.Contains("Filled", error.Message);
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
    public void AVariableInputAndFilledConstantAgreeThatZeroIsASize()
    {
        var v = Graph.Variable("v", new DenseMatrix(3, 0));
        var i = Graph.Input("i", 0, 4);
        var f = Graph.Filled(new Shape(0, 2), 1.0);
        Assert.Equal(new Shape(3, 0), v.Shape);
        Assert.Equal(new Shape(0, 4), i.Shape);
        Assert.Equal(new Shape(0, 2), f.Shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => Graph.Input("j", -3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Graph.Filled(new Shape(2, -5), 1.0));
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
    public void AProductWithAnEmptyInnerDimensionIsZeros()
    {
        var a = Graph.Variable("A", new DenseMatrix(3, 0));
        var b = Graph.Variable("B", new DenseMatrix(0, 4));
        Assert.Equal(new DenseMatrix(3, 4), Op.MatMul(a, b).Evaluate());
        var da = Gradients.Of(Op.MatMul(a, b), a)[a].Evaluate();
        Assert.Equal(new DenseMatrix(3, 0), da);
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
