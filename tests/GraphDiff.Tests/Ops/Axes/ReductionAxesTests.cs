using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Ops.Axes;

/// <summary>Sum, Mean and Max over axes of any rank, against naive loops and finite differences.</summary>
public class ReductionAxesTests
{
    public static TheoryData<int[], int[], bool> Cases() => new()
    {
        { [2, 3, 4], [0, 2], true },
        { [2, 3, 4], [1], false },
        { [2, 3, 4], [-1], false },
        { [2, 1, 3, 2], [0, 3], false },
        { [1, 1, 1], [0, 1, 2], false },
        { [3, 2, 1, 2, 2], [1, 3], true },
        { [3, 2, 2, 2], [0, 1, 2], false },
        { [4, 3], [1], false },
        { [4, 3], [0, 1], false },
        { [4, 3], [0], true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SumMeanAndMaxAgreeWithNaiveLoopsAndFiniteDifferences(int[] dims, int[] axes, bool keep)
    {
        var random = new Random(dims.Sum() * 31 + axes.Sum());
        var x = Nd.Random(random, dims);
        var X = x.Variable("x");
        int[] reduced = [.. axes.Select(a => a < 0 ? a + dims.Length : a)];
        foreach (var (name, node) in new[] { ("Sum", Op.Sum(X, axes, keep)), ("Mean", Op.Mean(X, axes, keep)), ("Max", Op.Max(X, axes, keep)) })
        {
            var expected = Naive(x, reduced, keep, name);
            Assert.Equal(Shape.Of(expected.Dims), node.Shape);
            expected.AssertEqual(node.Value(), 1e-12, $"{name} over [{string.Join(", ", axes)}] of {X.Shape}");
            GradientAssert.Agrees(GradientAssert.WeightedSum(node, 5), [X], name);
            var second = Gradients.Of(Op.Sum(Op.Square(Gradients.Of(Op.Sum(Op.Square(node)), [X])[0])), [X]);
            GradientAssert.Agrees(Op.Sum(Op.Square(Gradients.Of(Op.Sum(Op.Square(node)), [X])[0])), [X], $"{name}, second order");
            Assert.NotNull(second[0]);
        }
    }

    // The reduction of x over the axes by the numpy definition, in logical coordinates.
    private static Nd Naive(Nd x, int[] axes, bool keep, string kind)
    {
        int[] keptDims = [.. x.Dims.Select((d, a) => axes.Contains(a) ? 1 : d)];
        var sums = Nd.Zeros(keptDims);
        var counts = Nd.Zeros(keptDims);
        foreach (var i in Nd.Indices(keptDims)) sums[i] = kind == "Max" ? double.NegativeInfinity : 0;
        foreach (var i in Nd.Indices(x.Dims))
        {
            int[] k = [.. i.Select((v, a) => axes.Contains(a) ? 0 : v)];
            sums[k] = kind == "Max" ? Math.Max(sums[k], x[i]) : sums[k] + x[i];
            counts[k] += 1;
        }
        if (kind == "Mean") foreach (var i in Nd.Indices(keptDims)) sums[i] /= counts[i];
        if (keep) return sums;
        int[] dropped = [.. x.Dims.Where((_, a) => !axes.Contains(a))];
        int[] result = [.. Enumerable.Repeat(1, Math.Max(0, 2 - dropped.Length)), .. dropped];
        var y = Nd.Zeros(result);
        var values = Nd.Indices(keptDims).Select(i => sums[i]).ToArray();   // the same row-major order
        int n = 0;
        foreach (var i in Nd.Indices(result)) y[i] = values[n++];
        return y;
    }

    [Fact]
    public void MaxSendsItsGradientToTheFirstMaximumOnly()
    {
        var x = Graph.Variable("x", Shape.Of(2, 2, 2), DenseMatrix.OfArray(new double[,] { { 1, 5 }, { 1, 0 }, { 0, 5 }, { -1, 2 } }));
        // Over axes [0, 1]: column 0 holds (1, 1, 0, −1): the first 1 (row 0) takes it; column 1 (5, 0, 5, 2): row 0.
        var grad = Gradients.Of(Op.Sum(Op.Max(x, [0, 1])), [x])[0].Value();
        Assert.Equal(DenseMatrix.OfArray(new double[,] { { 1, 1 }, { 0, 0 }, { 0, 0 }, { 0, 0 } }), grad);
        // Over the last axis, the first in row-major order: (0, 5) at row 2 goes to column 1.
        var last = Gradients.Of(Op.Sum(Op.Max(x, [2])), [x])[0].Value();
        Assert.Equal(DenseMatrix.OfArray(new double[,] { { 0, 1 }, { 1, 0 }, { 0, 1 }, { 0, 1 } }), last);
    }

    [Fact]
    public void OverTheBatchAxisOfAnEmptyBatchTheSumIsZeroAndMeanAndMaxSayTheDataIsEmpty()
    {
        var x = Graph.Input("X", Shape.Of(2, 3, Shape.Batch));
        var empty = new Feed { [x] = DenseMatrix.Create(6, 0, 0) };
        Assert.All(Op.Sum(x, [0, 2]).Value(empty).Enumerate(), v => Assert.Equal(0, v));
        Assert.Equal(0, Op.Sum(x, [0]).Value(empty).ColumnCount);
        foreach (var node in new[] { Op.Mean(x, [2]), Op.Max(x, [-1], keepAxes: false) })
            Assert.Contains("empty", Assert.Throws<NonFiniteValueException>(() => node.Value(empty)).Message);
        Assert.Equal(0, Op.Max(x, [1]).Value(empty).ColumnCount);
        var grads = Gradients.Of(Op.Sum(Op.Sum(x, [0, 2])), [x]);
        Assert.Equal(0, grads[0].Value(empty).ColumnCount);
    }

    [Fact]
    public void ReductionsOverTheBatchAxisFollowTheFedBatch()
    {
        var random = new Random(11);
        var x = Nd.Random(random, 2, 3, 4);
        var X = Graph.Input("X", Shape.Of(2, 3, Shape.Batch));
        var feed = new Feed { [X] = x.Storage };
        var mean = Op.Mean(X, [0, 2], keepAxes: false);
        Assert.Equal(new Shape(1, 3), mean.Shape);
        Naive(x, [0, 2], false, "Mean").AssertEqual(mean.Value(feed));
        var grad = Gradients.Of(Op.Sum(mean), [X])[0].Value(feed);
        Assert.All(grad.Enumerate(), v => Assert.Equal(1.0 / 8, v, 1e-15));
        Assert.Equal("Mean(X, axes: [0, 2], keepAxes: false)", mean.ToString());
    }

    [Fact]
    public void BadAxesAreRefusedNamingTheOperationTheOperandItsShapeAndTheAxis()
    {
        var x = Graph.Input("X", Shape.Of(2, 3, Shape.Batch));
        var twice = Assert.Throws<ArgumentException>(() => Op.Sum(x, [0, -3]));
        Assert.Contains("Sum(X): axis 0 of 2×3×m is given twice", twice.Message);
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => Op.Max(x, [3]));
        Assert.Contains("Max(X): axis 3 is out of range for 2×3×m, of rank 3", range.Message);
        Assert.Throws<ArgumentException>(() => Op.Mean(x, []));
    }
}
