using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace GraphDiff.Tests;

/// <summary>A failing gradient check names the operation whose own local derivative is wrong, with its line.</summary>
public class BlameTests
{
    private static int Here([CallerLineNumber] int line = 0) => line;

    // Softplus with the derivative of tanh instead of σ: wrong, yet finite and smooth, so only a check finds it.
    private static readonly Elementwise WrongSoftplus = new("WrongSoftplus",
        (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = Math.Max(x[i], 0) + Math.Log(1 + Math.Exp(-Math.Abs(x[i]))); },
        derivative: (x, y) => Op.Tanh(x));

    [Fact]
    public void AWrongCustomDerivativeBuriedInAThreeLayerNetworkIsNamedWithItsLine()
    {
        var random = new Random(4);
        var x = Graph.Constant(TestData.Matrix(random, new Shape(3, 5), r => r.NextDouble() * 2 - 1));
        var w1 = Graph.Variable("W1", TestData.Matrix(random, new Shape(4, 3), r => r.NextDouble() - 0.5));
        var w2 = Graph.Variable("W2", TestData.Matrix(random, new Shape(4, 4), r => r.NextDouble() - 0.5));
        var w3 = Graph.Variable("W3", TestData.Matrix(random, new Shape(1, 4), r => r.NextDouble() - 0.5));
        var a1 = Op.Tanh(Op.MatMul(w1, x));
        int line = Here(); var a2 = WrongSoftplus.Apply(Op.MatMul(w2, a1));
        var cost = Op.Sum(Op.Sigmoid(Op.MatMul(w3, a2)));

        var report = GradientCheck.Run(cost, [w1, w2, w3]);
        Assert.False(report.Passed);
        var culprit = Assert.IsType<Culprit>(report.Culprit);
        Assert.Equal("WrongSoftplus", culprit.Node.Operation.Name);
        Assert.Equal(line, culprit.Node.Location.Line);
        Assert.Contains($"(built at BlameTests.cs:{line}): the local derivative of WrongSoftplus is wrong: f′(x) at x = ", report.ToString());
        // The figures are the local derivative a learner computes by hand at that element: tanh(x) as written, σ(x) as it should be.
        Assert.Equal((culprit.Row, culprit.Column), (culprit.OutputRow, culprit.OutputColumn));
        Assert.Equal(Math.Tanh(culprit.OperandValue), culprit.Analytic, 12);
        Assert.Equal(1 / (1 + Math.Exp(-culprit.OperandValue)), culprit.Numeric, 6);
        Assert.Equal($"very likely a bug: the difference is above 1e-5; start with WrongSoftplus at BlameTests.cs:{line}", report.Verdict);
    }

    // Squares its operand but claims the derivative 3x.
    private static readonly Elementwise WrongSquare = new("WrongSquare", (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = x[i] * x[i]; },
        derivative: (x, y) => 3.0 * x);

    [Fact]
    public void BlameNeverLandsOnADataOperandEvenWhenAWrongOperationOnTheLabelsComesFirst()
    {
        var random = new Random(6);
        var X = Graph.Input("X", 3);
        var Y = Graph.Input("Y", 1);
        var w = Graph.Variable("w", TestData.Matrix(random, new Shape(1, 3), r => r.NextDouble() - 0.5));
        var labels = WrongSquare.Apply(Y);   // data only: its gradient is never asked for
        int line = Here(); var a = WrongSoftplus.Apply(Op.MatMul(w, X));
        var cost = Op.Sum(labels * a);
        var feed = new Feed { { X, TestData.Matrix(random, new Shape(3, 5), TestData.Any) }, { Y, TestData.Matrix(random, new Shape(1, 5), r => r.NextDouble() + 0.5) } };

        var report = GradientCheck.Run(cost, [w], feed);
        Assert.Equal(CheckOutcome.Failed, report.Outcome);
        Assert.Equal(line, report.Culprit?.Node.Location.Line);
    }

    [Fact]
    public void ACulpritOfANonElementwiseOperationShowsWhichOutputAndOperandElementsItsDerivativeLinks()
    {
        var w = Graph.Variable("w", new double[,] { { 0.3, -0.2, 0.5 } });
        var cost = Op.Sum(Node.Apply(new WrongRowSum(), [w], SourceLocation.Unknown));
        var culprit = Assert.IsType<Culprit>(GradientCheck.Run(cost, [w]).Culprit);
        Assert.Equal((0, 0), (culprit.OutputRow, culprit.OutputColumn));
        Assert.Equal(1, culprit.Numeric, 6);       // ∂(Σw)/∂w[j] = 1
        Assert.Equal(2, culprit.Analytic, 12);     // the wrong Backward says 2
        Assert.Contains($"∂y[0, 0]/∂w[0, {culprit.Column}] (operand 0) at w[0, {culprit.Column}] = ", culprit.ToString());
    }

    /// <summary>Sums each row, with a Backward that doubles the upstream gradient.</summary>
    private sealed class WrongRowSum : Operation
    {
        public override string Name => "WrongRowSum";
        public override Shape InferShape(IReadOnlyList<Node> inputs) => new(inputs[0].Shape.Rows, 1);
        public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result)
        {
            for (int i = 0; i < result.Rows; i++)
            {
                double sum = 0;
                for (int j = 0; j < inputs[0].Columns; j++) sum += inputs[0][i, j];
                result[i, 0] = sum;
            }
        }
        public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [Op.BroadcastTo(upstream * 2.0, node.Inputs[0])];
    }

    [Fact]
    public void ACorrectGraphHasNoCulprit()
    {
        var w = Graph.Variable("w", new double[,] { { 0.3, -0.2 } });
        var report = GradientCheck.Run(Op.Sum(Op.Tanh(w * 2.0) + Op.Softplus(w)), [w]);
        Assert.True(report.Passed);
        Assert.Null(report.Culprit);
        Assert.StartsWith("correct", report.Verdict);
    }
}

/// <summary>Elements whose nudge crosses a kink are left out of the verdict and listed, instead of failing the check.</summary>
public class KinkTests
{
    [Fact]
    public void AReluPreActivationWithinEpsilonOfZeroIsSkippedAndListed()
    {
        var w = Graph.Variable("w", new double[,] { { 0.5, -0.5 + 2e-8 } });   // z = w·x = 2e-8, inside ±ε of ReLU's kink
        var x = Graph.Constant(new MathNet.Numerics.LinearAlgebra.Double.DenseMatrix(2, 1, [1.0, 1.0]));
        var c = Graph.Variable("c", 0.7);
        var z = Op.MatMul(w, x);
        var cost = Op.Sum(Op.ReLU(z) * 3.0 + z * c) + c * c;

        var report = GradientCheck.Run(cost, [w, c]);
        // Both elements of w were skipped: w is reported as not checked (not "correct"), so the check cannot pass.
        Assert.Equal(CheckOutcome.Inconclusive, report.Outcome);
        Assert.Equal(CheckOutcome.NotChecked, report.Variables[0].Outcome);
        Assert.Equal(CheckOutcome.Passed, report.Variables[1].Outcome);
        Assert.Contains("not checked: no element could be compared", report.ToString());
        Assert.Contains("no element of w was checked", report.Verdict);
        Checking.CourseSetUpCheckTests.AssertConsistent(report);
        Assert.Equal(2, report.SkippedAtKinks.Count);
        Assert.StartsWith("w[0, 0]: ReLU input at BlameTests.cs:", report.SkippedAtKinks[0]);
        Assert.Contains("from its kink at 0; skipped", report.ToString());

        // Exactly on the kink (z = 0: what zero biases meeting padding give), the report says so and how to check it.
        var wOn = Graph.Variable("w", new double[,] { { 0.5, -0.5 } });
        var on = GradientCheck.Run(Op.Sum(Op.ReLU(Op.MatMul(wOn, x)) * 3.0), [wOn]);
        Assert.Contains("sits exactly on its kink at 0", on.ToString());
        Assert.Contains("non-zero biases", on.ToString());

        // Without the skip, the difference quotient across the kink is wrong by the kink's jump: the check would fail.
        var far = GradientCheck.Run(cost, [w, c], options: new GradientCheckOptions { Epsilon = 1e-10 });
        Assert.Empty(far.SkippedAtKinks);
    }
}

/// <summary>The built-in operations with kinks other than ReLU's are skipped there too, not failed or blamed.</summary>
public class DeclaredKinkTests
{
    public static TheoryData<string, double> Kinks => new() { { "LeakyReLU", 0 }, { "Clip", -0.5 }, { "Clip", 0.5 } };

    [Theory]
    [MemberData(nameof(Kinks))]
    public void AnElementWhoseNudgeCrossesTheKinkIsSkippedNotFailed(string operation, double kink)
    {
        var w = Graph.Variable("w", new double[,] { { kink + 2e-8, 1.5 } });   // the first element sits within ε of the kink
        var a = operation == "LeakyReLU" ? Op.LeakyReLU(w, 0.1) : Op.Clip(w, -0.5, 0.5);
        var report = GradientCheck.Run(Op.Sum(a * 3.0 + w * w), [w]);
        Assert.NotEqual(CheckOutcome.Failed, report.Outcome);
        Assert.Null(report.Culprit);
        Assert.StartsWith($"w[0, 0]: {operation} input at BlameTests.cs:", Assert.Single(report.SkippedAtKinks));
    }
}
