using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Ops.Axes;

/// <summary>Softmax and LogSoftmax along any axis of any rank, against a naive loop and finite differences.</summary>
public class SoftmaxAxisTests
{
    [Theory]
    [InlineData(new[] { 2, 3, 4 }, 0)]
    [InlineData(new[] { 2, 3, 4 }, 1)]
    [InlineData(new[] { 2, 3, 4 }, -1)]
    [InlineData(new[] { 3, 4 }, 1)]
    [InlineData(new[] { 3, 4 }, 0)]
    [InlineData(new[] { 1, 2, 1, 3 }, 2)]
    [InlineData(new[] { 2, 1, 3, 2, 2 }, 3)]
    public void SoftmaxAndLogSoftmaxAlongAnAxisAgreeWithTheNaiveLoopAndFiniteDifferences(int[] dims, int axis)
    {
        var random = new Random(dims.Sum() + axis);
        var x = Nd.Random(random, dims);
        var X = x.Variable("x");
        int k = axis < 0 ? axis + dims.Length : axis;
        var expected = Nd.Zeros(dims);
        foreach (var i in Nd.Indices(dims))
        {
            double sum = 0;
            for (int t = 0; t < dims[k]; t++) sum += Math.Exp(x[With(i, k, t)]);
            expected[i] = Math.Exp(x[i]) / sum;
        }
        var softmax = Op.Softmax(X, axis);
        var log = Op.LogSoftmax(X, axis);
        expected.AssertEqual(softmax.Value(), 1e-14);
        var logExpected = Nd.Zeros(dims);
        foreach (var i in Nd.Indices(dims)) logExpected[i] = Math.Log(expected[i]);
        logExpected.AssertEqual(log.Value(), 1e-13);
        foreach (var node in new[] { softmax, log })
        {
            GradientAssert.Agrees(GradientAssert.WeightedSum(node, 9), [X], node.ToString());
            GradientAssert.Agrees(Op.Sum(Op.Square(Gradients.Of(GradientAssert.WeightedSum(node, 9), [X])[0])), [X], $"{node}, second order");
        }
    }

    private static int[] With(int[] index, int axis, int value)
    {
        var copy = (int[])index.Clone();
        copy[axis] = value;
        return copy;
    }

    [Fact]
    public void LargeScoresStayFiniteAndEveryLineSumsToOne()
    {
        var x = Graph.Variable("x", Shape.Of(2, 2, 2), DenseMatrix.OfArray(new double[,] { { 1000, -1000 }, { 1001, 5 }, { -1e300, 0 }, { 3, 0 } }));
        var s = Op.Softmax(x, 1).Value();
        Assert.All(s.Enumerate(), v => Assert.True(double.IsFinite(v)));
        Assert.Equal(1, s[0, 0] + s[1, 0], 12);
        Assert.Equal(1, s[2, 1] + s[3, 1], 12);
        Assert.Equal("Softmax(x, axis: 1)", Op.Softmax(x, -2).ToString());
    }

    [Fact]
    public void OverTheBatchAxisAndWithAnEmptyBatch()
    {
        var X = Graph.Input("X", Shape.Of(2, 3, Shape.Batch));
        var empty = new Feed { [X] = DenseMatrix.Create(6, 0, 0) };
        Assert.Equal(0, Op.Softmax(X, 1).Value(empty).ColumnCount);
        Assert.Equal(0, Op.LogSoftmax(X, 2).Value(empty).ColumnCount);
        var feed = new Feed { [X] = DenseMatrix.Create(6, 3, (i, j) => i + j) };
        var overBatch = Op.Softmax(X, -1).Value(feed);
        Assert.Equal(1, overBatch.Row(4).Sum(), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => Op.Softmax(X, 3));
    }
}
