using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>
/// A gradient check across a max-pool tie: a nudge that changes which element wins measures the jump between two
/// slopes, not the derivative, so the check skips it (as at ReLU's 0) instead of failing a correct gradient.
/// </summary>
public class MaxPoolTieCheckTests
{
    [Fact]
    public void ANudgeThatBreaksATieIsSkippedAndNamed()
    {
        // One 2×2 window holding a tie (1, 1): x[0] wins; nudged down, x[1] wins instead.
        var x = Graph.Variable("x", Shape.Of(2, 2, 1, 1), DenseMatrix.OfColumnMajor(4, 1, [1, 1, 0, 0.5]));
        var cost = Op.Sum(Op.MaxPool2D(x, 2) * 3);
        var report = GradientCheck.Run(cost, [x]);
        Assert.True(report.Passed, report.ToString());
        Assert.Contains(report.SkippedAtKinks, line => line.StartsWith("x[0, 0]", StringComparison.Ordinal) && line.Contains("MaxPool2D") && line.Contains("tie"));
    }

    [Fact]
    public void ATieThatEveryNudgeKeepsIsCheckedAsAnyElement()
    {
        // Background pixels tie at the bias; nudging the bias moves them together, so nothing is skipped.
        var x = Graph.Constant(Shape.Of(2, 2, 1, 1), DenseMatrix.OfColumnMajor(4, 1, [0, 0, 0, 0]));
        var b = Graph.Variable("b", 0.25);
        var cost = Op.Sum(Op.MaxPool2D(x + b, 2) * 3);
        var report = GradientCheck.Run(cost, [b]);
        Assert.True(report.Passed, report.ToString());
        Assert.Empty(report.SkippedAtKinks);
    }

    [Fact]
    public void MaxPoolSaysWhetherTwoImagesPickTheSameElements()
    {
        var pool = Op.MaxPool2D(Graph.Input("A", Shape.Of(2, 2, 1, Shape.Batch)), 2).Operation;
        Assert.True(pool.KinkedAtTies);
        var a = GraphDiff.Tensors.Tensor.Of(DenseMatrix.OfColumnMajor(4, 2, [1, 1, 0, 0, 5, 2, 3, 4]));
        var same = GraphDiff.Tensors.Tensor.Of(DenseMatrix.OfColumnMajor(4, 2, [2, 1, 0, 0, 9, 2, 3, 4]));
        var other = GraphDiff.Tensors.Tensor.Of(DenseMatrix.OfColumnMajor(4, 2, [1, 1.5, 0, 0, 5, 2, 3, 4]));
        Assert.True(pool.SameSideOfTies(a, same));
        Assert.False(pool.SameSideOfTies(a, other));
    }
}
