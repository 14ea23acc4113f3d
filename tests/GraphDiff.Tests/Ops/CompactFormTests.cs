using System.Numerics.Tensors;
using GraphDiff.Tensors;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>
/// The compact forms' documented one-line user operations, written with the public API only (TensorMath and
/// TensorPrimitives kernels): they compute, print, broadcast and differentiate like the built-ins.
/// </summary>
public class CompactFormTests
{
    static readonly Elementwise Swish = new("Swish", (x, y) => { TensorMath.Sigmoid(x, y); TensorPrimitives.Multiply(x, y, y); }, derivative: (x, y) => Op.Sigmoid(x) + y * (1 - Op.Sigmoid(x)));
    static readonly Elementwise Cube = new("Cube", (x, y) => TensorPrimitives.Pow(x, 3.0, y), derivative: (x, y) => 3 * Op.Square(x));
    static readonly Elementwise MySoftplus = new("MySoftplus", TensorMath.Softplus, derivative: (x, y) => Op.Sigmoid(x)) { KeepsFinite = true };

    static readonly ElementwiseBinary SquaredDifference = new("SquaredDifference",
        (a, b, y) => { TensorMath.Subtract(a, b, y); TensorMath.Multiply(y, y, y); },
        (a, b, y, g) => (2 * g * (a - b), -2 * g * (a - b)));

    private static Variable Row(string name, params double[] values) => Graph.Variable(name, DenseMatrix.OfRowArrays(values));

    [Fact]
    public void TheUnaryExamplesComputeAndDifferentiate()
    {
        var x = Row("x", -2.0, -0.3, 0.5, 3.0);
        foreach (var (operation, f) in new (Elementwise, Func<double, double>)[]
                 { (Swish, v => v / (1 + Math.Exp(-v))), (Cube, v => v * v * v), (MySoftplus, v => Math.Log(1 + Math.Exp(v))) })
        {
            var y = operation.Apply(x);
            Assert.Equal($"{operation.Name}(x)", y.ToString());
            var value = y.Evaluate();
            for (int j = 0; j < 4; j++) Assert.Equal(f(x.Value[0, j]), value[0, j], 12);
            Assert.True(GradientCheck.Run(Op.Sum(y), [x]).Passed, $"{operation.Name}'s derivative");
        }
    }

    [Fact]
    public void TheBinaryExampleBroadcastsPrintsAndDifferentiates()
    {
        var a = Graph.Variable("a", DenseMatrix.OfArray(new[,] { { 1.0, -2.0, 0.5 }, { 3.0, 0.25, -1.0 } }));
        var b = Graph.Variable("b", DenseMatrix.OfArray(new[,] { { 0.5 }, { -1.5 } }));   // a column, broadcast across a's columns
        var d = SquaredDifference.Apply(a, b);
        Assert.Equal("SquaredDifference(a, b)", d.ToString());
        Assert.Equal(new Shape(2, 3), d.Shape);
        var value = d.Evaluate();
        for (int j = 0; j < 3; j++)
            for (int i = 0; i < 2; i++) Assert.Equal(Math.Pow(a.Value[i, j] - b.Value[i, 0], 2), value[i, j], 14);
        var J = Op.Sum(d);
        Assert.Equal(new Shape(2, 1), Gradients.Of(J, b)[b].Shape);   // summed back over the broadcast columns
        Assert.True(GradientCheck.Run(J, [a, b]).Passed);
    }

    [Fact]
    public void ABinaryOperationThatDoesNotBroadcastNamesItself()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => SquaredDifference.Apply(Graph.Variable("p", new DenseMatrix(2, 3)), Graph.Variable("q", new DenseMatrix(3, 3))));
        Assert.Contains("SquaredDifference", error.Message);
    }
}
