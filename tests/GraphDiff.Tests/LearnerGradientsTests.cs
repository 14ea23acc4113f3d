using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>A learner's hand-written backward_propagation for the course's 2-layer tanh network, checked against the graph.</summary>
public class LearnerGradientsTests
{
    /// <summary>The course's backward_propagation, with the tanh derivative written right or wrong.</summary>
    private static Dictionary<string, Matrix<double>> Backward(Network net, Matrix<double> x, Matrix<double> y, bool wrongTanh)
    {
        Matrix<double> w1 = net.Layers[0].W.Value, b1 = net.Layers[0].B.Value, w2 = net.Layers[1].W.Value, b2 = net.Layers[1].B.Value;
        int m = x.ColumnCount;
        var ones = DenseMatrix.Create(1, m, 1.0);
        var a1 = (w1 * x + b1 * ones).Map(Math.Tanh);
        var a2 = (w2 * a1 + b2 * ones).Map(z => 1 / (1 + Math.Exp(-z)));
        var dZ2 = a2 - y;
        var dW2 = dZ2 * a1.Transpose() / m;
        var db2 = dZ2.RowSums().ToColumnMatrix() / m;
        var derivative = wrongTanh ? a1.Map(a => 1 - a) : a1.Map(a => 1 - a * a);
        var dZ1 = (w2.Transpose() * dZ2).PointwiseMultiply(derivative);
        var dW1 = dZ1 * x.Transpose() / m;
        var db1 = dZ1.RowSums().ToColumnMatrix() / m;
        return new() { ["dZ2"] = dZ2, ["dW2"] = dW2, ["db2"] = db2, ["dZ1"] = dZ1, ["dW1"] = dW1, ["db1"] = db1 };
    }

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
        var check = LearnerGradients.Check(net.Cost, new Feed { { net.X, x }, { net.Y, y } }, Backward(net, x, y, wrongTanh: true));
        Assert.Equal("dZ1", check.FirstWrong?.Name);
        Assert.Equal(["dZ2", "db2", "dW2", "dZ1", "db1", "dW1"], check.Quantities.Select(q => q.Name));
        Assert.True(check.Quantities.Single(q => q.Name == "dZ2").CourseConvention);   // A2 − Y, the course's m·∂J/∂Z2
        Assert.Contains("first differs at dZ1", check.ToString());
        Assert.True(check.Reference.Passed);
    }

    [Fact]
    public void ACorrectBackpropAgreesEverywhere()
    {
        var (net, x, y) = Data();
        var check = LearnerGradients.Check(net.Cost, new Feed { { net.X, x }, { net.Y, y } }, Backward(net, x, y, wrongTanh: false));
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
