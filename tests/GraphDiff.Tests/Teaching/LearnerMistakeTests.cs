using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>
/// The classic mistakes of a hand-written two-layer backprop, each made on purpose: every quantity is still reported,
/// "expected" is in the learner's own convention, and the mistake is named from the figures.
/// </summary>
public class LearnerMistakeTests
{
    private static (Network Net, Matrix<double> X, Matrix<double> Y, Feed Feed) Data(int m, int hidden = 4, bool relu = false)
    {
        var net = Network.Create([2, hidden, 1], new NetworkOptions { Hidden = relu ? Activation.ReLU : Activation.Tanh, Seed = 3 });
        var x = TestData.Matrix(new Random(8), new Shape(2, m), r => r.NextDouble() * 2 - 1);
        var y = DenseMatrix.Create(1, m, (_, j) => j % 2);
        return (net, x, y, new Feed { { net.X, x }, { net.Y, y } });
    }

    private static LearnerQuantity Line(LearnerGradients check, string name) => check.Quantities.Single(q => q.Name == name);

    [Fact]
    public void ACorrectBackpropIncludingTheCoursesDA0AndDA1AgreesAndLabelsDAInItsOwnConvention()
    {
        var (net, x, y, feed) = Data(6);
        var check = LearnerGradients.Check(net.Cost, feed, CourseBackprop.Backward(net, x, y));
        Assert.Null(check.FirstWrong);
        Assert.True(Line(check, "dA0").CourseConvention);
        Assert.Contains("(the course's m·∂J/∂A1)", check.ToString());
        Assert.DoesNotContain("m·∂J/∂Z)", check.ToString());
    }

    [Fact]
    public void AWronglyShapedGradientIsALineWithAHintAndTheOthersAreStillReported()
    {
        var (net, x, y, feed) = Data(6);
        var mine = CourseBackprop.Backward(net, x, y);
        var right = mine["db1"];
        mine["db1"] = right.Transpose();
        mine["db2"] = mine["dZ2"] / 6;   // not summed over the examples
        var check = LearnerGradients.Check(net.Cost, feed, mine);
        Assert.Equal(8, check.Quantities.Count);
        Assert.Equal("db2", check.FirstWrong?.Name);
        Assert.Equal("1×4, expected 4×1", Line(check, "db1").ShapeMismatch);
        Assert.StartsWith("transposed: its transpose is right", Line(check, "db1").Mistake);
        Assert.StartsWith("not summed over the examples?", Line(check, "db2").Mistake);
        Assert.All(check.Quantities.Where(q => q.Name is not ("db1" or "db2")), q => Assert.True(q.Difference < 1e-12, q.Name));

        mine["db2"] = DenseMatrix.Create(1, 1, 0.0);
        mine["db1"] = DenseMatrix.Create(1, 6, 0.0);   // summed over the units (axis 0) instead of the examples
        check = LearnerGradients.Check(net.Cost, feed, mine);
        Assert.StartsWith("summed over the wrong axis?", Line(check, "db1").Mistake);
        Assert.Contains("db1      shape 1×6, expected 4×1  <-- wrong shape: summed over the wrong axis?", check.ToString());
    }

    [Fact]
    public void AFlippedSignAtSmallMShowsExpectedInTheLearnersOwnConvention()
    {
        var (net, x, y, feed) = Data(2);
        var mine = CourseBackprop.Backward(net, x, y);
        var correct = mine["dZ2"];
        mine["dZ2"] = -correct;   // Y − A2
        var check = LearnerGradients.Check(net.Cost, feed, mine);
        var dz2 = Assert.IsType<LearnerQuantity>(check.FirstWrong);
        Assert.Equal("dZ2", dz2.Name);
        Assert.True(dz2.CourseConvention);
        Assert.Equal(correct[dz2.Row, dz2.Column], dz2.Expected, 12);   // A2 − Y, not (A2 − Y)/m
        Assert.Equal(-dz2.Expected, dz2.Yours, 12);
        Assert.Equal("sign flipped: yours is −expected", dz2.Mistake);
    }

    [Fact]
    public void AMissingOneOverMIsNamedWithM()
    {
        var (net, x, y, feed) = Data(6);
        var mine = CourseBackprop.Backward(net, x, y);
        mine["dW2"] *= 6;
        var check = LearnerGradients.Check(net.Cost, feed, mine);
        Assert.Equal("off by a factor m = 6: yours is m × expected: the 1/m of the mean is missing", Line(check, "dW2").Mistake);
    }

    [Fact]
    public void ATransposedSquareGradientIsNamed()
    {
        var (net, x, y, feed) = Data(6, hidden: 2);
        var mine = CourseBackprop.Backward(net, x, y);
        mine["dW1"] = mine["dW1"].Transpose();
        var check = LearnerGradients.Check(net.Cost, feed, mine);
        Assert.Equal("transposed: yours is expectedᵀ", Line(check, "dW1").Mistake);
    }

    [Fact]
    public void AReluDerivativeOfOneAtZeroIsNamedAtTheKink()
    {
        var (net, x, y, feed) = Data(6, relu: true);
        for (int i = 0; i < 2; i++) x[i, 3] = 0;   // with b1 = 0, Z1 = 0 exactly for this example
        var check = LearnerGradients.Check(net.Cost, feed, CourseBackprop.Backward(net, x, y, reluAtZero: 1));
        var dz1 = Assert.IsType<LearnerQuantity>(check.FirstWrong);
        Assert.Equal("dZ1", dz1.Name);
        Assert.Equal(3, dz1.Column);
        Assert.StartsWith("differs only where Z1 = 0, ReLU's kink", dz1.Mistake);
    }
}
