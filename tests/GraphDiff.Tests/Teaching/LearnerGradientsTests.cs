using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>A learner's hand-written backward_propagation for the course's 2-layer tanh network, checked against the graph.</summary>
public class LearnerGradientsTests
{
    private static (Network Net, Matrix<double> X, Matrix<double> Y) Data()
    {
        var net = Network.Create([2, 4, 1], new NetworkOptions { Hidden = Activation.Tanh, Seed = 3 });
        var random = new Random(8);
        return (net, TestData.Matrix(random, new Shape(2, 6), r => r.NextDouble() * 2 - 1), DenseMatrix.Create(1, 6, (_, j) => j % 2));
    }

    [Fact]
    public void AWrongTanhDerivativeIsReportedAtDZ1NotOnlyAtTheDWItSpoils()
    {
        var (net, x, y) = Data();
        var check = LearnerGradients.Check(net.Cost, new Feed { { net.X, x }, { net.Y, y } }, CourseBackprop.Backward(net, x, y, tanhSlope: a => 1 - a));
        Assert.Equal("dZ1", check.FirstWrong?.Name);
        Assert.Equal(["dZ2", "db2", "dW2", "dA1", "dZ1", "db1", "dW1", "dA0"], check.Quantities.Select(q => q.Name));
        Assert.True(check.Quantities.Single(q => q.Name == "dZ2").CourseConvention);   // A2 − Y, the course's m·∂J/∂Z2
        Assert.Contains("first differs at dZ1", check.ToString());
        Assert.True(check.Reference.Passed);
    }

    [Fact]
    public void ACorrectBackpropAgreesEverywhere()
    {
        var (net, x, y) = Data();
        var check = LearnerGradients.Check(net.Cost, new Feed { { net.X, x }, { net.Y, y } }, CourseBackprop.Backward(net, x, y));
        Assert.Null(check.FirstWrong);
        Assert.All(check.Quantities, q => Assert.True(q.Difference < 1e-12, $"{q.Name}: {q.Difference}"));
    }

    [Fact]
    public void AnUnknownNameIsRefusedWithTheNamesThatExist()
    {
        var (net, x, y) = Data();
        var error = Assert.Throws<ArgumentException>(() => LearnerGradients.Check(net.Cost, null, new Dictionary<string, Matrix<double>> { ["dQ"] = new DenseMatrix(1, 1) }));
        Assert.Contains("dW1", error.Message);
    }
}
