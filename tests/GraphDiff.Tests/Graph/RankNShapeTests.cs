using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>
/// Shapes of rank 3 and more: how they are written, compared and refused, how they are stored (a Rows×Columns
/// matrix, leading axes row-major), and that the operations written for any rank keep a value's axes.
/// </summary>
public class RankNShapeTests
{
    private const int M = Shape.Batch;

    [Fact]
    public void AShapeOfTwoDimensionsIsTheCoursesMatrixShape()
    {
        Assert.Equal(new Shape(4, M), Shape.Of(4, M));
        Assert.Equal(2, Shape.Of(4, 3).Rank);
        Assert.Equal("4×m", Shape.Of(4, M).ToString());
    }

    [Fact]
    public void AnImageShapeIsStoredAsItsPixelsByItsExamples()
    {
        var s = Shape.Of(28, 28, 1, M);
        Assert.Equal(4, s.Rank);
        Assert.Equal(784, s.Rows);
        Assert.Equal(M, s.Columns);
        Assert.Equal([28, 28, 1, M], s.Dimensions);
        Assert.Equal(28, s[1]);
        Assert.Equal(1, s[-2]);
        Assert.Equal("28×28×1×m", s.ToString());
        Assert.Equal("28×28×1×5", s.Resolve(5).ToString());
        Assert.Equal(784L * 5, s.ElementCount(5));
        Assert.True(s.HasBatch);
    }

    [Fact]
    public void ShapesAreEqualOnlyWithTheSameAxes()
    {
        Assert.Equal(Shape.Of(2, 3, 4), Shape.Of(2, 3, 4));
        Assert.Equal(Shape.Of(2, 3, 4).GetHashCode(), Shape.Of(2, 3, 4).GetHashCode());
        Assert.NotEqual(Shape.Of(3, 2, 4), Shape.Of(2, 3, 4));   // same storage, other axes
        Assert.NotEqual(new Shape(6, 4), Shape.Of(2, 3, 4));
        Assert.True(Shape.Of(2, 3, 4) != Shape.Of(2, 3, 5));
    }

    [Theory]
    [InlineData(new[] { 3 }, "2 to 8 dimensions")]
    [InlineData(new[] { 1, 1, 1, 1, 1, 1, 1, 1, 1 }, "2 to 8 dimensions")]
    [InlineData(new[] { 28, M, 1, 5 }, "may only be the last axis")]
    [InlineData(new[] { 28, 0, 1, M }, "axis 1 is 0")]
    [InlineData(new[] { 28, -3, 1, M }, "axis 1 is -3")]
    [InlineData(new[] { 65536, 65536, 1, M }, "more than")]
    [InlineData(new[] { int.MaxValue, int.MaxValue, int.MaxValue, 2 }, "more than")]
    public void AShapeThatCannotBeIsRefusedNamingIt(int[] dimensions, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => Shape.Of(dimensions));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void AnElementwiseOperationKeepsTheAxesAndComputesOnEveryElement()
    {
        var x = Graph.Input("X", Shape.Of(2, 3, 2, M));
        var y = Op.Sigmoid(x) * 2 + 1;
        Assert.Equal(Shape.Of(2, 3, 2, M), y.Shape);
        var value = DenseMatrix.Build.Random(12, 5, 3);
        var result = y.Evaluate(new Feed { { x, value } });
        Assert.Equal(12, result.RowCount);
        Assert.Equal(5, result.ColumnCount);
        for (int j = 0; j < 5; j++)
            for (int i = 0; i < 12; i++)
                Assert.Equal(2 / (1 + Math.Exp(-value[i, j])) + 1, result[i, j], 12);
    }

    [Fact]
    public void AMatrixOperationRefusesAnImageNamingItAndSuggestingFlatten()
    {
        var x = Graph.Input("X", Shape.Of(28, 28, 1, M));
        var w = Graph.Variable("W", DenseMatrix.Create(10, 784, 0.1));
        var e = Assert.Throws<ShapeMismatchException>(() => Op.MatMul(w, x));
        Assert.Contains("X is 28×28×1×m", e.Message);
        Assert.Contains("Op.Flatten(X)", e.Message);
        Assert.Contains("784×m", e.Message);
        Assert.Equal(new Shape(10, M), Op.MatMul(w, Op.Flatten(x)).Shape);
    }

    [Fact]
    public void BroadcastingAlignsShapesOnTheLastAxisAndNamesTheAxisThatDisagrees()
    {
        var a = Graph.Input("A", Shape.Of(4, 4, 3, M));
        var perExample = Graph.Input("s", Shape.Of(1, 1, 1, M));
        Assert.Equal(Shape.Of(4, 4, 3, M), (a * perExample).Shape);
        var wrong = Graph.Variable("c", Shape.Of(4, 5, 3, 1), DenseMatrix.Create(60, 1, 1.0));
        var e = Assert.Throws<ShapeMismatchException>(() => a + wrong);
        Assert.Contains("axis 1", e.Message);
        Assert.Contains("4×4×3×m", e.Message);
        Assert.Contains("4×5×3×1", e.Message);
    }

    [Fact]
    public void GradientsOfRankNVariablesHaveTheirAxesAndAgreeWithDifferences()
    {
        var random = new Random(3);
        var v = GradientAssert.Var("V", random, Shape.Of(2, 3, 4), TestData.Any);
        var perExample = GradientAssert.Var("s", random, Shape.Of(1, 1, 4), TestData.Any);
        var perFeature = GradientAssert.Var("f", random, Shape.Of(2, 3, 1), TestData.Any);
        var cost = GradientAssert.WeightedSum(Op.Tanh(v * perExample + perFeature), 5);
        var gradients = Gradients.Of(cost, [v, perExample, perFeature]);
        Assert.Equal(v.Shape, gradients[0].Shape);
        Assert.Equal(perExample.Shape, gradients[1].Shape);
        Assert.Equal(perFeature.Shape, gradients[2].Shape);
        GradientAssert.Agrees(cost, [v, perExample, perFeature], "rank 3 with per-example and per-feature broadcasts");
    }

    [Fact]
    public void FlattenAndReshapeKeepTheStorageAndTheirGradientsReshapeBack()
    {
        var random = new Random(4);
        var v = GradientAssert.Var("V", random, Shape.Of(2, 3, 4), TestData.Any);
        var flat = Op.Flatten(v);
        Assert.Equal(new Shape(6, 4), flat.Shape);
        Assert.Equal(v.Value, flat.Evaluate());
        var back = Op.Reshape(flat, Shape.Of(3, 2, 4));
        Assert.Equal(v.Value, back.Evaluate());
        GradientAssert.Agrees(GradientAssert.WeightedSum(Op.Sigmoid(back), 2), [v], "reshape of a flatten");
        var e = Assert.Throws<ShapeMismatchException>(() => Op.Reshape(v, Shape.Of(5, 5)));
        Assert.Contains("25 elements, not 24", e.Message);
    }

    [Fact]
    public void AReshapeKeepsEachExampleWithTheBatchLast()
    {
        var x = Graph.Input("X", Shape.Of(4, 4, 2, M));
        Assert.Equal(Shape.Of(8, 4, M), Op.Reshape(x, Shape.Of(8, 4, M)).Shape);
        var e = Assert.Throws<ShapeMismatchException>(() => Op.Reshape(x, Shape.Of(4, 4, M)));
        Assert.Contains("each example must keep its 32 elements", e.Message);
    }

    [Fact]
    public void AVariableOrConstantOfAnyRankChecksItsStorage()
    {
        var e = Assert.Throws<ArgumentException>(() => Graph.Variable("K", Shape.Of(5, 5, 1, 8), DenseMatrix.Create(8, 25, 0.0)));
        Assert.Contains("stored as a 25×8 matrix", e.Message);
        Assert.Contains("its value is 8×25", e.Message);
        Assert.Throws<ArgumentException>(() => Graph.Variable("K", Shape.Of(5, 5, M), DenseMatrix.Create(25, 1, 0.0)));
        var c = Graph.Constant(Shape.Of(5, 5, 1, 8), Matrix<double>.Build.Dense(25, 8, 1.0), "K");
        Assert.Equal(Shape.Of(5, 5, 1, 8), c.Shape);
    }
}

public class RankNAxisHintTests
{
    [Fact]
    public void AMatrixAxisOnAnImageSaysHowToNameItsAxes()
    {
        var x = Graph.Input("X", Shape.Of(2, 2, 3, Shape.Batch));
        var sum = Assert.Throws<ArgumentOutOfRangeException>(() => Op.Sum(x, 1));
        Assert.Contains("Op.Sum(X, axes: [1])", sum.Message);
        var mean = Assert.Throws<ArgumentOutOfRangeException>(() => Op.Mean(x, 0));
        Assert.StartsWith("Mean(X, axis: 0)", mean.Message);
        var softmax = Assert.Throws<ShapeMismatchException>(() => Op.Softmax(x));
        Assert.Contains("Op.Softmax(X, axis: 2)", softmax.Message);
        Assert.Contains("Op.LogSoftmax(X, axis: 2)", Assert.Throws<ShapeMismatchException>(() => Op.LogSoftmax(x)).Message);
        Assert.Equal(x.Shape, Op.Softmax(x, 2).Shape);
    }

    [Fact]
    public void ChannelsFirstImagesAndABadStrideAreNamed()
    {
        var x = Graph.Input("X", Shape.Of(1, 28, 28, Shape.Batch));
        var k = Graph.Variable("K", Shape.Of(5, 5, 1, 16), new MathNet.Numerics.LinearAlgebra.Double.DenseMatrix(25, 16));
        var e = Assert.Throws<ShapeMismatchException>(() => Op.Conv2D(x, k));
        Assert.Contains("channels first", e.Message);
        Assert.Contains("channelsFirst: true", e.Message);
        var image = Graph.Input("A", Shape.Of(28, 28, 1, Shape.Batch));
        var stride = Assert.Throws<ArgumentOutOfRangeException>(() => Op.Conv2D(image, k, stride: 0));
        Assert.Contains("Conv2D(A, K): the stride is 0", stride.Message);
    }
}
