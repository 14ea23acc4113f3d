using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>
/// Costs written out as the course's notebooks write them simplify to the course's gradients, through rewrite
/// rules the compile report shows: dz = a − y for logistic regression, dZ = A − Y for softmax, λ/m · W for L2;
/// and the values stay those of the graph as written.
/// </summary>
public class WeekTwoByHandTests
{
    private static readonly Input X = Graph.Input("X", rows: 3), Y = Graph.Input("Y", rows: 1), Y3 = Graph.Input("Y", rows: 4);

    private static Feed Data(int classes, int m = 5)
    {
        var random = new Random(classes);
        var x = TestData.Matrix(random, new Shape(3, m), TestData.Unit);
        var y = classes == 1
            ? DenseMatrix.Create(1, m, (_, j) => j % 2)
            : (DenseMatrix)Dataset.OneHot(Enumerable.Range(0, m).Select(j => j % classes).ToArray(), classes);
        return new Feed { { X, x }, { classes == 1 ? Y : Y3, y } };
    }

    [Fact]
    public void LogisticRegressionByHandGivesDzIsAMinusY()
    {
        var w = Graph.Variable("w", DenseMatrix.Create(1, 3, 0.1));
        var b = Graph.Variable("b", 0.2);
        var Z = (Op.MatMul(w, X) + b).Named("Z");
        var A = Op.Sigmoid(Z).Named("A");
        var cost = -Op.Mean(Y * Op.Log(A) + (1 - Y) * Op.Log(1 - A));

        var sheet = Gradients.Of(cost, w, b);
        Assert.Equal("A - Y", Formula(sheet.ToString(), "dZ"));
        Assert.Equal("1 / m * dZ·Xᵀ", Formula(sheet.ToString(), "dw"));
        Assert.Equal("1 / m * Sum(dZ, axis: 1)", Formula(sheet.ToString(), "db"));
        Assert.Contains(Compiler.Compile(cost).Report, step => step.Rule.Name == "HandWrittenBinaryCrossEntropy");
        AssertSameAsWritten(cost, [w, b], Data(1));
        // The same with the minus sign inside the mean, and the product written label last.
        var inside = Op.Mean(-(Op.Log(A) * Y + (1 - Y) * Op.Log(1 - A)));
        Assert.Contains(Compiler.Compile(inside).Report, step => step.Rule.Name == "HandWrittenBinaryCrossEntropy");
        AssertSameAsWritten(inside, [w, b], Data(1));
    }

    [Fact]
    public void SoftmaxByHandGivesDZIsAMinusY()
    {
        var W = Graph.Variable("W", TestData.Matrix(new Random(2), new Shape(4, 3), TestData.Unit));
        var b = Graph.Variable("b", new DenseMatrix(4, 1));
        var Z = (Op.MatMul(W, X) + b).Named("Z");
        var A = Op.Softmax(Z).Named("A");
        var cost = -Op.Mean(Op.Sum(Y3 * Op.Log(A), axis: 0));

        var sheet = Gradients.Of(cost, W, b).ToString();
        Assert.Equal("A - Y", Formula(sheet, "dZ"));
        Assert.Equal("1 / m * dZ·Xᵀ", Formula(sheet, "dW"));
        Assert.Equal("1 / m * Sum(dZ, axis: 1)", Formula(sheet, "db"));
        Assert.Contains(Compiler.Compile(cost).Report, step => step.Rule.Name == "HandWrittenSoftmaxCrossEntropy");
        AssertSameAsWritten(cost, [W, b], Data(4));
    }

    [Fact]
    public void TheL2TermOfDWReadsLambdaOverMTimesW()
    {
        var net = Network.Create([3, 4, 1], new NetworkOptions { L2 = 0.7 });
        var sheet = Gradients.Of(net.Cost, net.Parameters).ToString();
        Assert.Equal("1 / m * dZ2·A1ᵀ + 0.7 / m * W2", Formula(sheet, "dW2"));
        Assert.Equal("1 / m * dZ1·Xᵀ + 0.7 / m * W1", Formula(sheet, "dW1"));
        var data = Data(1);
        Assert.True(data.TryGet(X, out var x));
        Assert.True(data.TryGet(Y, out var y));
        var feed = new Feed { { net.X, x }, { net.Y, y } };
        AssertSameAsWritten(net.Cost, net.Parameters, feed);
    }

    [Fact]
    public void AnL2TermWrittenByHandReadsLambdaOverMTimesW()
    {
        var w = Graph.Variable("w", DenseMatrix.Create(1, 3, 0.1));
        var b = Graph.Variable("b", 0.2);
        var A = Op.Sigmoid(Op.MatMul(w, X) + b).Named("A");
        var cost = Op.BinaryCrossEntropy(A, Y) + 1.4 / (2 * Op.Count(X, axis: 1)) * Op.Sum(Op.Square(w));
        Assert.EndsWith("+ 1.4 / m * w", Formula(Gradients.Of(cost, w, b).ToString(), "dw"));
        AssertSameAsWritten(cost, [w, b], Data(1));
    }

    [Fact]
    public void WrongSoftmaxLabelsAreRefusedWhenTheGradientIsEvaluated()
    {
        var W = Graph.Variable("W", TestData.Matrix(new Random(3), new Shape(4, 3), TestData.Unit));
        var cost = Op.SoftmaxCrossEntropy(Op.MatMul(W, X), Y3);
        var feed = new Feed { { X, new DenseMatrix(3, 2) }, { Y3, DenseMatrix.OfArray(new double[,] { { 1, 0 }, { 0, 2 }, { 0, 0 }, { 0, 0 } }) } };
        var error = Assert.Throws<ArgumentException>(() => Gradients.Of(cost, W)[W].Evaluate(feed));
        Assert.Contains("column 1 sums to 2", error.Message);
        Assert.Contains("one-hot", error.Message);
    }

    /// <summary>The right-hand side of the sheet's line for <paramref name="name"/>.</summary>
    private static string Formula(string sheet, string name)
    {
        var line = sheet.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(name + " = ", StringComparison.Ordinal));
        Assert.True(line is not null, $"no line for {name} in:\n{sheet}");
        return line![(name.Length + 3)..];
    }

    /// <summary>The simplified gradients have the values of the gradients of the graph exactly as written.</summary>
    private static void AssertSameAsWritten(Node cost, IReadOnlyList<Variable> variables, Feed feed)
    {
        var simplified = Gradients.Of(cost, variables);
        var written = Gradients.AsWritten(cost, variables);
        for (int k = 0; k < variables.Count; k++)
        {
            var expected = new EvaluationPlan([written[k]], compile: null).Run(feed)[written[k]];
            var actual = simplified[k].Evaluate(feed);
            for (int i = 0; i < expected.RowCount; i++)
                for (int j = 0; j < expected.ColumnCount; j++)
                    Assert.True(Math.Abs(expected[i, j] - actual[i, j]) <= 1e-12 * (1 + Math.Abs(expected[i, j])),
                        $"{variables[k].Name}[{i},{j}]: {actual[i, j]} simplified, {expected[i, j]} as written");
        }
    }
}

/// <summary>What else is asked for never changes a gradient: asking for A too (which the stable form drops) once turned dJ/dw at saturation into 0.</summary>
public class GradientRequestTests
{
    [Fact]
    public void AskingForAnIntermediateTheStableFormDropsLeavesTheOtherGradientsAsTheyAre()
    {
        var X = Graph.Input("X", rows: 1);
        var Y = Graph.Input("Y", rows: 1);
        var w = Graph.Variable("w", 40.0);
        var b = Graph.Variable("b", 0.0);
        var Z = (Op.MatMul(w, X) + b).Named("Z");
        var A = Op.Sigmoid(Z).Named("A");
        var cost = Op.BinaryCrossEntropy(A, Y);
        var feed = new Feed { { X, DenseMatrix.OfArray(new double[,] { { 1, 1 } }) }, { Y, DenseMatrix.OfArray(new double[,] { { 0, 1 } }) } };
        double alone = Gradients.Of(cost, w, b)[w].EvaluateScalar(feed);
        var all = Gradients.Of(cost, A, Z, w, b);
        Assert.Equal(0.5, alone, 1e-12);   // (σ(40) − 0 + σ(40) − 1)/2, from the logits
        Assert.Equal(alone, all[w].EvaluateScalar(feed));
        Assert.Equal(Gradients.Of(cost, b)[b].EvaluateScalar(feed), all[b].EvaluateScalar(feed));
        Assert.Equal(Gradients.Of(cost, Z)[Z].Evaluate(feed), all[Z].Evaluate(feed));
        Assert.NotNull(all[A]);   // from the graph as written, where A exists
    }
}

/// <summary>The ledger's numbers are those every evaluation gives, at saturation too (it once printed the clipped form's J).</summary>
public class LedgerAtSaturationTests
{
    [Fact]
    public void TheLedgersCostIsTheCostEveryEvaluationGives()
    {
        var X = Graph.Input("X", rows: 1);
        var Y = Graph.Input("Y", rows: 1);
        var w = Graph.Variable("w", 40.0);
        var A = Op.Sigmoid(Op.MatMul(w, X)).Named("A");
        var cost = Op.BinaryCrossEntropy(A, Y).Named("J");
        var feed = new Feed { { X, DenseMatrix.OfArray(new double[,] { { 1, 1 } }) }, { Y, DenseMatrix.OfArray(new double[,] { { 0, 1 } }) } };
        double expected = cost.EvaluateScalar(feed);
        Assert.Equal(20, expected, 1e-9);   // −log(1 − σ(40))/2 from the logits
        var line = Backprop.Explain(cost, feed).Forward.Single(l => l.Name == "J");
        Assert.Equal(expected.ToString("G6", System.Globalization.CultureInfo.InvariantCulture), line.Value);
    }
}
