using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>The README's tour, run as written (with small data), so the documentation cannot drift from the API.</summary>
public class ReadmeTourTests
{
    [Fact]
    public void TheComputationGraphTourGivesTheDocumentedValues()
    {
        var a = Graph.Variable("a", 5); var b = Graph.Variable("b", 3); var c = Graph.Variable("c", 2);
        var J = 3 * (a + b * c);
        var grads = Gradients.Of(J, a, b, c);
        Assert.Equal(33, J.EvaluateScalar());
        Assert.Equal("3 * c", grads[b].ToString());
        Assert.Equal(6, grads[b].EvaluateScalar());

        var x = Graph.Variable("x", 2.0);
        var d2 = Gradients.Of(Gradients.Of(Op.Power(x, 3), x)[x], x)[x];
        Assert.Equal(12, d2.EvaluateScalar(), 12);
    }

    [Fact]
    public void TheLogisticRegressionTourRuns()
    {
        var random = new Random(1);
        var xTrain = TestData.Matrix(random, new Shape(30, 12), TestData.Any);
        var yTrain = DenseMatrix.Create(1, 12, (_, j) => j % 2);

        var X = Graph.Input("X", rows: 30);
        var Y = Graph.Input("Y", rows: 1);
        var w = Graph.Variable("w", new DenseMatrix(1, 30));
        var b = Graph.Variable("b", 0.0);
        var A = Op.Sigmoid(Op.MatMul(w, X) + b);
        var cost = Op.BinaryCrossEntropy(A, Y);
        var g = Gradients.Of(cost, w, b);

        var plan = new EvaluationPlan([cost, g[w], g[b]]);
        var run = plan.Run(new Feed { { X, xTrain }, { Y, yTrain } });
        double J = run.Scalar(cost); var dw = run[g[w]];
        Assert.Equal(Math.Log(2), J, 12);
        Assert.Equal(new Shape(1, 30), new Shape(dw.RowCount, dw.ColumnCount));

        var feed = new Feed { { X, xTrain }, { Y, yTrain } };
        var report = GradientCheck.Run(cost, [w, b], feed);
        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void TheNetworkTourRuns()
    {
        using var dir = new Nn.TempDirectory();
        var random = new Random(2);
        var xTrain = TestData.Matrix(random, new Shape(784, 64), TestData.Probability);
        var yTrain = DenseMatrix.Create(1, 64, (_, j) => j % 2);
        var net = Network.Create([784, 128, 64, 1]);
        Assert.Contains("W1: 128×784", net.Describe());
        var history = Trainer.Train(net, xTrain, yTrain, new TrainingOptions { Epochs = 2, BatchSize = 16, Optimizer = new Adam(0.001) });
        Assert.InRange(Metrics.Accuracy(net.Predict(xTrain), yTrain.Row(0).Select(v => (int)v).ToArray()), 0, 1);
        ModelFile.Save(net, dir.File("model.gdmodel"));
        Plots.LearningCurve(history, dir.File("cost.png"));
        Assert.True(File.Exists(dir.File("model.gdmodel")) && File.Exists(dir.File("cost.png")));
    }

    [Fact]
    public void TheDocumentedMatMulErrorReadsAsShown()
    {
        var W1 = Graph.Variable("W1", new DenseMatrix(4, 3));
        var X = Graph.Input("X", 2, 400);
        var message = Assert.Throws<ShapeMismatchException>(() => Op.MatMul(W1, X)).Message;
        Assert.Matches(@"^MatMul\(W1, X\): W1 is 4×3 \(ReadmeTourTests\.cs:\d+\) and X is 2×400 \(ReadmeTourTests\.cs:\d+\); the inner dimensions 3 and 2 must be equal: X would fit as 3×400, or W1 as 4×2 ", message);
    }
}
