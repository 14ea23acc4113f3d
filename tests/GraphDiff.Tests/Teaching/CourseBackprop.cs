using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>A learner's hand-written backprop for the course's two-layer network, shared by the tests of <see cref="LearnerGradients"/>.</summary>
internal static class CourseBackprop
{
    /// <summary>
    /// The course's backward_propagation for [LINEAR→tanh or ReLU]→LINEAR→SIGMOID, with dA1 and dA0 as L_model_backward
    /// names them; <paramref name="reluAtZero"/> is the slope a learner takes at Z = 0, <paramref name="tanhSlope"/> their tanh derivative from A.
    /// </summary>
    public static Dictionary<string, Matrix<double>> Backward(Network net, Matrix<double> x, Matrix<double> y, double reluAtZero = 0, Func<double, double>? tanhSlope = null)
    {
        Matrix<double> w1 = net.Layers[0].W.Value, b1 = net.Layers[0].B.Value, w2 = net.Layers[1].W.Value, b2 = net.Layers[1].B.Value;
        bool relu = net.Layers[0].Activation == Activation.ReLU;
        int m = x.ColumnCount;
        var ones = DenseMatrix.Create(1, m, 1.0);
        var z1 = w1 * x + b1 * ones;
        var a1 = relu ? z1.Map(z => Math.Max(z, 0)) : z1.Map(Math.Tanh);
        var a2 = (w2 * a1 + b2 * ones).Map(z => 1 / (1 + Math.Exp(-z)));
        var dZ2 = a2 - y;
        var dA1 = w2.Transpose() * dZ2;
        var slope = relu ? z1.Map(z => z > 0 ? 1 : z == 0 ? reluAtZero : 0) : a1.Map(tanhSlope ?? (a => 1 - a * a));
        var dZ1 = dA1.PointwiseMultiply(slope);
        return new()
        {
            ["dZ2"] = dZ2, ["dW2"] = dZ2 * a1.Transpose() / m, ["db2"] = dZ2.RowSums().ToColumnMatrix() / m, ["dA1"] = dA1,
            ["dZ1"] = dZ1, ["dW1"] = dZ1 * x.Transpose() / m, ["db1"] = dZ1.RowSums().ToColumnMatrix() / m, ["dA0"] = w1.Transpose() * dZ1,
        };
    }
}
