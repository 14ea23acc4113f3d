using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Ops.Axes;

/// <summary>Dropout is elementwise: it takes feature maps of any rank, and its gradient flows through the same mask.</summary>
public class DropoutRankNTests
{
    [Fact]
    public void DropoutOfAFeatureMapBatchKeepsItsShapeAndScalesTheKeptElements()
    {
        var A = Graph.Input("A", Shape.Of(3, 3, 2, Shape.Batch));
        var dropped = Regularization.Dropout(A, 0.5, seed: 4);
        Assert.Equal(A.Shape, dropped.Shape);
        var x = DenseMatrix.Create(18, 40, 1.0);
        var feed = new Feed { [A] = x };
        var (value, gradient) = (dropped.Evaluate(feed), Gradients.Of(Op.Sum(dropped), [A])[0]);
        Assert.All(value.Enumerate(), v => Assert.True(v is 0 or 2));
        Assert.InRange(value.Enumerate().Count(v => v == 2), 240, 480);
        Assert.Equal(0, dropped.Evaluate(new Feed { [A] = DenseMatrix.Create(18, 0, 0) }).ColumnCount);
        Assert.Equal(A.Shape, gradient.Shape);
        // The same mask in one evaluation: the gradient is 2 exactly where the value kept the element.
        var both = new[] { dropped, gradient }.Evaluate(feed);
        Assert.Equal(both[0], both[1]);
    }
}
