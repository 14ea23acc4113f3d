using FsCheck.Xunit;
using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>
/// The simplification pass: every rule is in the catalogue below with a graph that contains its pattern; on
/// random values, the value and the gradients are the same with the rule on and off, and the rule fired. The
/// course's formulas come out of a network's gradients.
/// </summary>
public class SimplificationTests
{
    /// <summary>For each rule, a graph of x (3×4), y (3×4) and s (1×1) containing the rule's pattern.</summary>
    private static readonly Dictionary<string, Func<Variable, Variable, Variable, Node>> Catalogue = new()
    {
        ["ConstantFolding"] = (x, y, s) => Op.Sum(x * (Graph.Constant(2.0) * Graph.Constant(3.0))),
        ["AdditiveIdentity"] = (x, y, s) => Op.Sum((x + Graph.Filled(new Shape(3, 4), 0.0)) * (Graph.Filled(new Shape(3, 4), 0.0) - y)),
        ["MultiplicativeIdentity"] = (x, y, s) => Op.Sum(Graph.Constant(1.0) * x * y / Graph.Constant(1.0) + Graph.Constant(0.0) * Graph.Constant(5.0)),
        ["DoubleNegation"] = (x, y, s) => Op.Sum(Op.Negate(Op.Negate(x)) * y + (x - Op.Negate(y)) + (x + Op.Negate(y))),
        ["DoubleTranspose"] = (x, y, s) => Op.Sum(Op.Transpose(Op.Transpose(x)) * y),
        ["TransposeIntoProduct"] = (x, y, s) => Op.Sum(Op.MatMul(Op.Transpose(x), y) + Op.MatMul(x, true, Op.Transpose(y), true)),
        ["SmallPowers"] = (x, y, s) => Op.Sum(Op.Power(x, 1) * Op.Power(y, 2)),
        ["BroadcastToOwnShape"] = (x, y, s) => Op.Sum(Op.BroadcastTo(x, y) * y),
        ["ScalarFactorOut"] = (x, y, s) => Op.Sum(Op.MatMul(Op.Transpose(x * s), y * s) * 2.0) + Op.Sum(Op.Transpose(s * x) * 3.0),
        ["CommonSubexpression"] = (x, y, s) => Op.Sum(Op.Tanh(x * y) + Op.Tanh(x * y)),
        ["BinaryCrossEntropyOfSigmoid"] = (x, y, s) => Op.BinaryCrossEntropy(Op.Sigmoid(x), Op.Sigmoid(y)),
        ["LogOfExp"] = (x, y, s) => Op.Sum(Op.Log(Op.Exp(x)) * y),
        ["LogOfSoftmax"] = (x, y, s) => Op.Sum(Op.Log(Op.Softmax(x)) * y),
        ["LogOfSigmoid"] = (x, y, s) => Op.Sum(Op.Log(Op.Sigmoid(x)) * y + Op.Log(Graph.Constant(1.0) - Op.Sigmoid(y))),
        ["HandWrittenBinaryCrossEntropy"] = (x, y, s) =>
        {
            var (a, labels) = (Op.Sigmoid(x), Op.Sigmoid(y));
            return -Op.Mean(labels * Op.Log(a) + (1 - labels) * Op.Log(1 - a));
        },
        ["HandWrittenSoftmaxCrossEntropy"] = (x, y, s) => -Op.Mean(Op.Sum(Op.Softmax(y) * Op.Log(Op.Softmax(x)), axis: 0)),
        ["ScalarBroadcastInProduct"] = (x, y, s) => Op.Sum(Op.BroadcastTo(s, x) * y),
        ["ScalarConstantsTogether"] = (x, y, s) => Op.Sum(x * (s * Graph.Constant(2.0) * Graph.Constant(3.0))) + Op.Sum(y * (Graph.Constant(4.0) / Op.Sum(y)) * 0.5)
            + Op.Sum(y * (Graph.Constant(3.0) / (Graph.Constant(2.0) * (Op.Sum(Op.Square(x)) + 1.0)))),
        // The backward of ReLU → max pool as differentiation writes it; each column of x − y an image of 3×1 pixels, pooled by overlapping, padded 2×2 windows.
        ["ReLUGradientAtMaxima"] = (x, y, s) =>
        {
            var z = Op.Reshape(x - y, Shape.Of(3, 1, 1, 4));
            var relu = Op.ReLU(z);
            var pooled = Op.MaxPool2D(relu, 2, stride: 1, padding: 1);
            var pool = (MaxPoolOperation)pooled.Operation;
            return Op.Sum(Node.Apply(new MaxPoolScatterOperation(pool.Geometry, pool), [relu, Op.Exp(pooled) * s]) * Op.Step(z));
        },
        // A convolution's bias gradient of a max pool's scatter: the same 3×1-pixel images as above.
        ["BiasGradientThroughScatter"] = (x, y, s) =>
        {
            var image = Op.Reshape(x, Shape.Of(3, 1, 1, 4));
            var pooled = Op.MaxPool2D(image, 2, stride: 1, padding: 1);
            var spread = Node.Apply(new MaxPoolScatterOperation(((MaxPoolOperation)pooled.Operation).Geometry), [image, Op.Exp(pooled * s) * Op.Sum(y)]);
            return Op.Sum(Node.Apply(new Conv2DBiasGradient(new ConvGeometry(3, 1, 1, 1, 1, 1, 1, 0, 1)), [spread]) * s);
        },
    };

    [Fact]
    public void EveryRegisteredRuleIsInTheCatalogue()
    {
        // The library's rules (tests may add rules of their own, which need no entry).
        var missing = Compiler.Rules.Where(r => r.GetType().Assembly != typeof(SimplificationTests).Assembly).Select(r => r.Name).Append("CommonSubexpression").Where(n => !Catalogue.ContainsKey(n)).ToArray();
        Assert.True(missing.Length == 0, $"rules without a catalogue entry (add one above): {string.Join(", ", missing)}");
    }

    [Property(MaxTest = 20)]
    public void EachRuleKeepsValuesAndGradientsAndFires(int seed)
    {
        var random = new Random(seed);
        foreach (var (name, build) in Catalogue)
        {
            var x = Graph.Variable("x", TestData.Matrix(random, new Shape(3, 4), r => r.NextDouble() * 4 - 2));
            var y = Graph.Variable("y", TestData.Matrix(random, new Shape(3, 4), r => r.NextDouble() * 4 - 2));
            var s = Graph.Variable("s", random.NextDouble() + 0.5);
            var written = build(x, y, s);
            var compiled = Compiler.Compile(written);
            Assert.True(compiled.Report.Any(step => step.Rule.Name == name), $"{name} did not fire on {written}:\n{compiled}");
            var without = Compiler.Compile(written, new CompileOptions { Disabled = new HashSet<string> { name } });
            AssertClose(new EvaluationPlan([written], compile: null).Run().Scalar(written), compiled.Outputs[0].EvaluateScalar(), name);
            AssertClose(without.Outputs[0].EvaluateScalar(), compiled.Outputs[0].EvaluateScalar(), name);
            var asWritten = Gradients.AsWritten(written, x, y, s);
            var simplified = Gradients.Of(written, x, y, s);
            for (int k = 0; k < 3; k++)
            {
                var expected = new EvaluationPlan([asWritten[k]], compile: null).Run().Tensor(asWritten[k]).ToMatrixCopy();
                var actual = simplified[k].Evaluate();
                for (int i = 0; i < expected.RowCount; i++)
                    for (int j = 0; j < expected.ColumnCount; j++)
                        AssertClose(expected[i, j], actual[i, j], $"{name}, gradient {k} at ({i}, {j})");
            }
        }
    }

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"{what}: {actual} instead of {expected}");

    [Fact]
    public void TheGradientsOfATwoLayerTanhNetworkAreTheCoursesFormulas()
    {
        var network = Network.Create([2, 4, 1], new NetworkOptions { Hidden = Activation.Tanh });
        var gradients = Gradients.Of(network.Cost, network.Parameters);
        Assert.Equal(
            """
            dZ2 = A2 - Y
            dW2 = 1 / m * dZ2·A1ᵀ
            db2 = 1 / m * Sum(dZ2, axis: 1)
            dZ1 = W2ᵀ·dZ2 * (1 - A1²)
            dW1 = 1 / m * dZ1·Xᵀ
            db1 = 1 / m * Sum(dZ1, axis: 1)

            """.ReplaceLineEndings(), gradients.ToString());
        Assert.Equal("1 / m * dZ2·A1ᵀ", gradients[network.Layers[1].W].ToString());
        Assert.DoesNotContain("Clip", gradients.ToString());
    }

    [Fact]
    public void TheCoursesFormulasComputeWhatTheGraphAsWrittenComputes()
    {
        var network = Network.Create([2, 4, 1], new NetworkOptions { Hidden = Activation.Tanh, Seed = 5 });
        var random = new Random(2);
        var feed = new Feed
        {
            { network.X, TestData.Matrix(random, new Shape(2, 7), r => r.NextDouble() * 2 - 1) },
            { network.Y, DenseMatrix.Create(1, 7, (_, j) => j % 2) },
        };
        var simplified = Gradients.Of(network.Cost, network.Parameters);
        var asWritten = Gradients.AsWritten(network.Cost, network.Parameters);
        var run = new EvaluationPlan(simplified).Run(feed);
        var reference = new EvaluationPlan(asWritten, compile: null).Run(feed);
        for (int k = 0; k < simplified.Count; k++)
        {
            var a = run[simplified[k]];
            var b = reference[asWritten[k]];
            for (int i = 0; i < a.RowCount; i++)
                for (int j = 0; j < a.ColumnCount; j++) AssertClose(b[i, j], a[i, j], $"{network.Parameters[k].Name}[{i}, {j}]");
        }
    }

    [Fact]
    public void SharedWorkIsComputedOnceAndFoldedConstantsPrintAsNumbers()
    {
        var x = Graph.Variable("x", new double[,] { { 1, 2 } });
        var twice = Op.Tanh(x * 3.0) + Op.Tanh(x * 3.0);
        var compiled = Compiler.Compile(twice).Outputs[0];
        Assert.Same(compiled.Inputs[0], compiled.Inputs[1]);
        Assert.Equal("6 * x", Compiler.Compile(Graph.Constant(2.0) * (Graph.Constant(3.0) * x)).Outputs[0].ToString());
    }

    [Fact]
    public void AComputedValueTimesZeroIsKeptSoThatANaNInItIsStillReported()
    {
        var x = Graph.Input("X", 1);
        var y = Op.Sum(x * 0.0);
        var nan = DenseMatrix.Create(1, 2, double.NaN);
        Assert.Throws<NonFiniteValueException>(() => new EvaluationPlan(y) { CheckInputs = false }.Run(new Feed { { x, nan } }));
    }
}
