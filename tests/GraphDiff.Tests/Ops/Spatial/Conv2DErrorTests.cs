namespace GraphDiff.Tests.Spatial;

/// <summary>Op.Conv2D refuses what does not fit with messages that name the operands, the axis and what would fit; it prints its parameters.</summary>
public class Conv2DErrorTests
{
    private static Node Image(int h, int w, int c) => Graph.Input("X", Shape.Of(h, w, c, Shape.Batch));

    private static Node Kernel(int fh, int fw, int c, int k) => Graph.Input("W1", Shape.Of(fh, fw, c, k));

    [Fact]
    public void AKernelOfOtherChannelsIsRefusedWithTheChannelsThatWouldFit()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Op.Conv2D(Image(28, 28, 3), Kernel(5, 5, 1, 8)));
        Assert.Contains("Conv2D(X, W1)", e.Message);
        Assert.Contains("n_C_prev = 3", e.Message);
        Assert.Contains("5×5×3×8", e.Message);
    }

    [Fact]
    public void AnOutputOfNoPositionIsRefused()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Op.Conv2D(Image(3, 3, 1), Kernel(5, 5, 1, 2)));
        Assert.Contains("the output would be -1×-1 positions", e.Message);
        Assert.Contains("padding of at least 1", e.Message);
        Assert.Equal(Shape.Of(1, 1, 2, Shape.Batch), Op.Conv2D(Image(3, 3, 1), Kernel(5, 5, 1, 2), padding: 1).Shape);
        Assert.Throws<ShapeMismatchException>(() => Op.Conv2D(Image(4, 4, 1), Kernel(2, 2, 1, 1), dilation: 5));
    }

    [Fact]
    public void OperandsOfTheWrongRankOrShapeAreRefused()
    {
        var flat = Graph.Input("A", 784);
        Assert.Contains("must be an image (n_H, n_W, n_C, m)", Assert.Throws<ShapeMismatchException>(() => Op.Conv2D(flat, Kernel(5, 5, 1, 8))).Message);
        Assert.Contains("must be a kernel", Assert.Throws<ShapeMismatchException>(() => Op.Conv2D(Image(8, 8, 1), Graph.Input("W", 25, 8))).Message);
        var e = Assert.Throws<ShapeMismatchException>(() => Op.Conv2D(Image(8, 8, 1), Kernel(3, 3, 1, 8), Graph.Input("b1", 4, 1)));
        Assert.Contains("b1, the bias (one per filter), must be 8×1", e.Message);
        Assert.Contains("axis 0", e.Message);
    }

    [Fact]
    public void BadParametersAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Op.Conv2D(Image(8, 8, 1), Kernel(3, 3, 1, 2), stride: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Op.Conv2D(Image(8, 8, 1), Kernel(3, 3, 1, 2), padding: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Op.Conv2D(Image(8, 8, 1), Kernel(3, 3, 1, 2), dilation: 0));
    }

    [Fact]
    public void GeometryThatOverflowsIsRefused()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Op.Conv2D(Image(40_000, 40_000, 1), Kernel(1, 1, 1, 2)));
        Assert.Contains("would hold 3200000000 elements", e.Message);
    }

    [Fact]
    public void ItPrintsItsParametersAndItsGradientsAreItsOwnOperations()
    {
        var x = Image(8, 8, 3);
        var w = Graph.Variable("W1", Shape.Of(3, 3, 3, 4), MathNet.Numerics.LinearAlgebra.Double.DenseMatrix.Create(27, 4, 0.1));
        var b = Graph.Variable("b1", new Shape(4, 1), MathNet.Numerics.LinearAlgebra.Double.DenseMatrix.Create(4, 1, 0.0));
        var z = Op.Conv2D(x, w, b, stride: 2, padding: 1);
        Assert.Equal("Conv2D(X, W1, b1, stride 2, pad 1)", z.ToString());
        Assert.Equal(Shape.Of(4, 4, 4, Shape.Batch), z.Shape);
        var g = Gradients.Of(Op.Sum(Op.Flatten(z)), w, b);
        Assert.Contains("Conv2DKernelGradient(X", g[w].ToString());
        Assert.Equal(new Shape(4, 1), g[b].Shape);
    }
}
