using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Ops.Axes;

/// <summary>MatMul batched over leading axes (numpy's matmul), against naive loops and finite differences.</summary>
public class BatchedMatMulTests
{
    public static TheoryData<int[], bool, int[], bool> Cases() => new()
    {
        { [2, 3, 4], false, [2, 4, 5], false },
        { [2, 4, 3], true, [2, 4, 5], false },
        { [2, 3, 4], false, [2, 5, 4], true },
        { [2, 4, 3], true, [2, 5, 4], true },
        { [3, 4], false, [2, 4, 5], false },
        { [4, 3], true, [2, 5, 4], true },
        { [2, 3, 4], false, [4, 5], false },
        { [2, 4, 3], true, [5, 4], true },
        { [2, 1, 3, 2], false, [2, 1, 2, 1], false },
        { [1, 1, 1], false, [1, 1, 1], true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void AgreesWithNaiveLoopsAndFiniteDifferencesToSecondOrder(int[] aDims, bool transposeA, int[] bDims, bool transposeB)
    {
        var random = new Random(aDims.Sum() * 7 + bDims.Sum() + (transposeA ? 100 : 0) + (transposeB ? 200 : 0));
        Nd a = Nd.Random(random, aDims), b = Nd.Random(random, bDims);
        Variable A = a.Variable("A"), B = b.Variable("B");
        var c = Op.MatMul(A, transposeA, B, transposeB);
        var expected = Naive(a, transposeA, b, transposeB);
        Assert.Equal(Shape.Of(expected.Dims), c.Shape);
        expected.AssertEqual(c.Value(), 1e-12, c.ToString());
        GradientAssert.Agrees(GradientAssert.WeightedSum(c, 3), [A, B], c);
        var gradients = Gradients.Of(Op.Sum(Op.Square(c)), [A, B]);
        GradientAssert.Agrees(Op.Add(Op.Sum(Op.Square(Op.Flatten(gradients[0]))), Op.Sum(Op.Square(Op.Flatten(gradients[1])))), [A, B], $"{c}, second order");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    public void ABatchRightOperandGivesABatchResult(int m)
    {
        var random = new Random(m);
        foreach (var (aDims, bDims) in new[] { (new[] { 2, 3, 4 }, new[] { 2, 4 }), (new[] { 3, 4 }, new[] { 2, 4 }), (new[] { 2, 3, 4 }, new[] { 4 }) })
        {
            Nd a = Nd.Random(random, aDims), b = Nd.Random(random, [.. bDims, m]);
            var A = a.Variable("A");
            var B = Graph.Input("B", Shape.Of([.. bDims, Shape.Batch]));
            var c = Op.MatMul(A, B);
            Assert.Equal(Shape.Of([.. (aDims.Length > 2 ? aDims[..^2] : bDims[..^1]), aDims[^2], Shape.Batch]), c.Shape);
            var feed = new Feed { [B] = b.Storage };
            Naive(a, false, b, false).AssertEqual(c.Value(feed), 1e-12, c.ToString());
            var gradient = Gradients.Of(Op.Sum(c), [A])[0].Value(feed);
            if (m == 0) Assert.All(gradient.Enumerate(), v => Assert.Equal(0, v));
            else GradientAssert.Agrees(Op.Sum(Op.Square(Op.Flatten(c))), [A], c, feed);
        }
    }

    [Fact]
    public void MismatchedOperandsAreRefusedNamingTheAxis()
    {
        var A = Graph.Variable("A", Shape.Of(2, 3, 4), DenseMatrix.Create(6, 4, 1));
        var leading = Assert.Throws<ShapeMismatchException>(() => Op.MatMul(A, Graph.Variable("B", Shape.Of(3, 4, 5), DenseMatrix.Create(12, 5, 1))));
        Assert.Contains("leading axis 0 is 2 in A and 3 in B", leading.Message);
        Assert.Contains("plain matrix", leading.Message);
        var inner = Assert.Throws<ShapeMismatchException>(() => Op.MatMul(A, Graph.Variable("B", Shape.Of(2, 5, 5), DenseMatrix.Create(10, 5, 1))));
        Assert.Contains("inner dimensions 4", inner.Message);
        Assert.Contains("would fit as 4×5", inner.Message);
        var batch = Assert.Throws<ShapeMismatchException>(() => Op.MatMul(Graph.Input("X", Shape.Of(2, 3, Shape.Batch)), true, A, false));
        Assert.Contains("batch dimension m", batch.Message);
        Assert.Throws<ShapeMismatchException>(() => Op.MatMul(Graph.Variable("W", new Shape(3, 4), DenseMatrix.Create(3, 4, 1)), Graph.Variable("B", Shape.Of(2, 3, 5), DenseMatrix.Create(6, 5, 1))));
    }

    // numpy's matmul in logical coordinates: the last two axes are the matrices, a rank-2 operand used for every one.
    private static Nd Naive(Nd a, bool transposeA, Nd b, bool transposeB)
    {
        int[] lead = a.Dims.Length > 2 ? a.Dims[..^2] : b.Dims[..^2];
        int n = transposeA ? a.Dims[^1] : a.Dims[^2], k = transposeA ? a.Dims[^2] : a.Dims[^1];
        int p = transposeB ? b.Dims[^2] : b.Dims[^1];
        var c = Nd.Zeros([.. lead, n, p]);
        foreach (var index in Nd.Indices(c.Dims))
        {
            int[] l = index[..^2];
            int i = index[^2], j = index[^1];
            double sum = 0;
            for (int q = 0; q < k; q++)
            {
                int[] ia = transposeA ? [q, i] : [i, q], ib = transposeB ? [j, q] : [q, j];
                sum += a[[.. a.Dims.Length > 2 ? l : [], .. ia]] * b[[.. b.Dims.Length > 2 ? l : [], .. ib]];
            }
            c[index] = sum;
        }
        return c;
    }
}
