using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Ops.Axes;

/// <summary>Transpose with any permutation, Slice, Pad and Concat, against naive loops and finite differences (first and second order).</summary>
public class LayoutTests
{
    private static void CheckGradients(Node y, Variable x, string what)
    {
        GradientAssert.Agrees(GradientAssert.WeightedSum(y, 4), [x], what);
        GradientAssert.Agrees(Op.Sum(Op.Square(Gradients.Of(Op.Sum(Op.Square(Op.Flatten(y))), [x])[0])), [x], $"{what}, second order");
    }

    [Theory]
    [InlineData(new[] { 2, 3, 4 }, new[] { 1, 2, 0 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 2, 1, 0 })]
    [InlineData(new[] { 1, 3, 1, 2 }, new[] { 3, 2, 1, 0 })]
    [InlineData(new[] { 2, 1, 3, 2 }, new[] { -2, 0, 1, 3 })]
    [InlineData(new[] { 3, 2 }, new[] { 0, 1 })]
    public void TransposeMovesEveryElementAsNumpyDoes(int[] dims, int[] axes)
    {
        var x = Nd.Random(new Random(dims.Sum()), dims);
        var X = x.Variable("x");
        int[] perm = [.. axes.Select(a => a < 0 ? a + dims.Length : a)];
        var y = Op.Transpose(X, axes);
        var expected = Nd.Zeros([.. perm.Select(a => dims[a])]);
        foreach (var i in Nd.Indices(expected.Dims))
        {
            var source = new int[dims.Length];
            for (int k = 0; k < perm.Length; k++) source[perm[k]] = i[k];
            expected[i] = x[source];
        }
        expected.AssertEqual(y.Value());
        CheckGradients(y, X, y.ToString());
    }

    [Fact]
    public void TransposeKeepsTheBatchAxisLastAndRefusesMovingIt()
    {
        var x = Nd.Random(new Random(2), 2, 3, 4);
        var X = Graph.Input("X", Shape.Of(2, 3, Shape.Batch));
        var y = Op.Transpose(X, [1, 0, 2]);
        Assert.Equal(Shape.Of(3, 2, Shape.Batch), y.Shape);
        var expected = Nd.Zeros(3, 2, 4);
        foreach (var i in Nd.Indices(expected.Dims)) expected[i] = x[[i[1], i[0], i[2]]];
        expected.AssertEqual(y.Value(new Feed { [X] = x.Storage }));
        Assert.Equal(0, y.Value(new Feed { [X] = DenseMatrix.Create(6, 0, 0) }).ColumnCount);
        var moved = Assert.Throws<ArgumentException>(() => Op.Transpose(X, [2, 0, 1]));
        Assert.Contains("batch axis m of 2×3×m", moved.Message);
        Assert.Contains("not a permutation", Assert.Throws<ArgumentException>(() => Op.Transpose(X, [0, 0, 2])).Message);
        Assert.Equal(new Shape(Shape.Batch, 5), Op.Transpose(Graph.Input("A", 5), [1, 0]).Shape);
    }

    [Theory]
    [InlineData(new[] { 3, 4, 2 }, 0, 1, 2)]
    [InlineData(new[] { 3, 4, 2 }, 1, 3, 1)]
    [InlineData(new[] { 3, 4, 2 }, -1, 0, 1)]
    [InlineData(new[] { 1, 1, 1 }, 1, 0, 1)]
    [InlineData(new[] { 4, 5 }, 1, 2, 3)]
    public void SliceTakesARangeAlongOneAxis(int[] dims, int axis, int start, int length)
    {
        var x = Nd.Random(new Random(dims.Sum() + start), dims);
        var X = x.Variable("x");
        int k = axis < 0 ? axis + dims.Length : axis;
        var y = Op.Slice(X, axis, start, length);
        int[] outDims = (int[])dims.Clone();
        outDims[k] = length;
        var expected = Nd.Zeros(outDims);
        foreach (var i in Nd.Indices(outDims))
        {
            var source = (int[])i.Clone();
            source[k] += start;
            expected[i] = x[source];
        }
        expected.AssertEqual(y.Value());
        CheckGradients(y, X, y.ToString());
    }

    [Theory]
    [InlineData(new[] { 2, 3, 2 }, new[] { 1, 0, 2 }, new[] { 0, 2, 1 })]
    [InlineData(new[] { 1, 1, 1, 1 }, new[] { 1, 1, 0, 0 }, new[] { 1, 1, 0, 0 })]
    [InlineData(new[] { 2, 2 }, new[] { 3, 0 }, new[] { 0, 0 })]
    public void PadSurroundsWithZeros(int[] dims, int[] before, int[] after)
    {
        var x = Nd.Random(new Random(dims.Sum()), dims);
        var X = x.Variable("x");
        var y = Op.Pad(X, before, after);
        var expected = Nd.Zeros([.. dims.Select((d, a) => d + before[a] + after[a])]);
        foreach (var i in Nd.Indices(dims)) expected[[.. i.Select((v, a) => v + before[a])]] = x[i];
        expected.AssertEqual(y.Value());
        CheckGradients(y, X, y.ToString());
    }

    [Fact]
    public void PadOfAnImageBatchAndItsEmptyBatch()
    {
        var X = Graph.Input("X", Shape.Of(2, 2, 1, Shape.Batch));
        var y = Op.Pad(X, [1, 1, 0, 0], [1, 1, 0, 0]);
        Assert.Equal(Shape.Of(4, 4, 1, Shape.Batch), y.Shape);
        var padded = y.Value(new Feed { [X] = DenseMatrix.Create(4, 3, 1) });
        Assert.Equal(4 * 3, padded.Enumerate().Sum());
        Assert.Equal(1, padded[5, 2]);   // (1, 1) of example 2
        Assert.Equal(0, y.Value(new Feed { [X] = DenseMatrix.Create(4, 0, 0) }).ColumnCount);
        Assert.Contains("batch axis m", Assert.Throws<ArgumentException>(() => Op.Pad(X, [0, 0, 0, 1], [0, 0, 0, 0])).Message);
        Assert.Contains("batch axis m", Assert.Throws<ArgumentException>(() => Op.Slice(X, 3, 0, 1)).Message);
        Assert.Contains("elements 1 to 2 of axis 0 of 2×2×1×m do not exist", Assert.Throws<ArgumentOutOfRangeException>(() => Op.Slice(X, 0, 1, 2)).Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void ConcatJoinsPartsAlongAnAxis(int axis)
    {
        var random = new Random(axis);
        int[] a = [2, 3, 2], b = [2, 3, 2];
        b[axis] = 1;
        Nd x = Nd.Random(random, a), z = Nd.Random(random, b);
        Variable X = x.Variable("x"), Z = z.Variable("z");
        var y = Op.Concat(axis, X, Z, X);
        var expected = Nd.Zeros([.. a.Select((d, k) => k == axis ? 2 * d + 1 : d)]);
        foreach (var i in Nd.Indices(expected.Dims))
        {
            int t = i[axis];
            var j = (int[])i.Clone();
            if (t < a[axis]) expected[i] = x[j];
            else if (t == a[axis]) { j[axis] = 0; expected[i] = z[j]; }
            else { j[axis] = t - a[axis] - 1; expected[i] = x[j]; }
        }
        expected.AssertEqual(y.Value());
        GradientAssert.Agrees(GradientAssert.WeightedSum(y, 6), [X, Z], y.ToString());
        GradientAssert.Agrees(Op.Sum(Op.Square(Gradients.Of(Op.Sum(Op.Square(Op.Flatten(y))), [X])[0])), [X, Z], "Concat, second order");
    }

    [Fact]
    public void ConcatOfABatchAlongLeadingAxesAndItsRefusals()
    {
        var A = Graph.Input("A", Shape.Of(2, 3, Shape.Batch));
        var B = Graph.Input("B", Shape.Of(1, 3, Shape.Batch));
        var y = Op.Concat(0, A, B);
        Assert.Equal(Shape.Of(3, 3, Shape.Batch), y.Shape);
        var value = y.Value(new Feed { [A] = DenseMatrix.Create(6, 2, 1), [B] = DenseMatrix.Create(3, 2, 2) });
        Assert.Equal(2, value[8, 1]);
        Assert.Equal(0, y.Value(new Feed { [A] = DenseMatrix.Create(6, 0, 0), [B] = DenseMatrix.Create(3, 0, 0) }).ColumnCount);
        Assert.Contains("batch axis m", Assert.Throws<ShapeMismatchException>(() => Op.Concat(2, A, A)).Message);
        var error = Assert.Throws<ShapeMismatchException>(() => Op.Concat(1, A, B));
        Assert.Contains("axis 0 differs", error.Message);
    }
}
