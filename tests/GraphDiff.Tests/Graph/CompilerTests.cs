using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>The compiler's stability rules: exact where the written form saturates, equal to it everywhere else, reported.</summary>
public class CompilerTests
{
    [Theory]
    [InlineData(35.0, 0.0)]
    [InlineData(37.0, 0.0)]
    [InlineData(40.0, 0.0)]
    [InlineData(700.0, 0.0)]
    [InlineData(-700.0, 1.0)]
    public void BinaryCrossEntropyOfASaturatedSigmoidIsExactOnceCompiled(double zValue, double label)
    {
        var z = Graph.Variable("z", zValue);
        var y = Graph.Constant(label);
        var cost = Op.BinaryCrossEntropy(Op.Sigmoid(z), y);
        var compiled = Compiler.Compile(cost).Outputs[0];
        var dz = Gradients.Of(compiled, z)[z];
        // J = −log(1 − σ(z)) = z + log(1 + e^−z) for y = 0; −log σ(z) = −z + log(1 + e^z) for y = 1.
        double expectedCost = label == 0 ? zValue + Math.Log(1 + Math.Exp(-zValue)) : -zValue + Math.Log(1 + Math.Exp(zValue));
        double expectedGradient = 1 / (1 + Math.Exp(-zValue)) - label;
        Assert.Equal(expectedCost, compiled.EvaluateScalar(), 1e-12 * Math.Abs(expectedCost));
        Assert.Equal(expectedGradient, dz.EvaluateScalar(), 12);
        // Gradients.Of builds from the stable form by default; as written, the clip flattens the gradient (0 from z = 37 on for y = 0).
        Assert.Equal(expectedGradient, Gradients.Of(cost, z)[z].EvaluateScalar(), 12);
        if (zValue >= 37 && label == 0) Assert.Equal(0.0, Gradients.AsWritten(cost, z)[z].EvaluateScalar());
    }

    [Fact]
    public void WhereBothAreFiniteTheRulesChangeNoValueOrGradient()
    {
        var random = new Random(17);
        for (int trial = 0; trial < 50; trial++)
        {
            var z = Graph.Variable("z", TestData.Matrix(random, new Shape(3, 4), r => r.NextDouble() * 16 - 8));
            var y = Graph.Constant(DenseMatrix.Create(3, 4, (i, j) => (i + j + trial) % 2));
            var written = Op.BinaryCrossEntropy(Op.Sigmoid(z), y) + Op.Sum(Op.Log(Op.Exp(z * 0.5))) + Op.Sum(Op.Log(Op.Softmax(z)));
            var compiled = Compiler.Compile(written);
            Assert.Equal(3, compiled.Report.Count(step => step.Rule.Pass == RewritePass.Stability));
            var c = compiled.Outputs[0];
            Assert.Equal(written.EvaluateScalar(), c.EvaluateScalar(), 1e-12 * Math.Abs(written.EvaluateScalar()));
            var g1 = Gradients.Of(written, z)[z].Evaluate();
            var g2 = Gradients.Of(c, z)[z].Evaluate();
            for (int k = 0; k < 12; k++)
                Assert.True(Math.Abs(g1[k % 3, k / 3] - g2[k % 3, k / 3]) <= 1e-12 * (1 + Math.Abs(g1[k % 3, k / 3])), $"trial {trial}, element {k}");
        }
    }

    [Fact]
    public void PlansEvaluateTheCompiledGraphAndAnswerForTheWrittenNodes()
    {
        var z = Graph.Variable("z", 700.0);
        var a = Op.Sigmoid(z);
        var cost = Op.BinaryCrossEntropy(a, Graph.Constant(0.0));
        var plan = new EvaluationPlan(cost, a);
        var run = plan.Run();
        Assert.Equal(700.0, run.Scalar(cost), 9);          // as written, the clip gives 34.4
        Assert.Equal(1.0, run.Scalar(a));
        Assert.Contains("BinaryCrossEntropyOfSigmoid", plan.Compilation!.ToString());
        Assert.Equal(-Math.Log(1 - (1 - 1e-15)), new EvaluationPlan([cost], compile: null).Run().Scalar(cost), 9);   // the clip at 1 − 1e−15
    }

    [Fact]
    public void TheReportNamesTheRuleTheUsersLineAndTheReason()
    {
        var z = Graph.Variable("z", 2.0);
        var cost = Op.BinaryCrossEntropy(Op.Sigmoid(z), Graph.Constant(1.0)).Named("J");
        var compilation = Compiler.Compile(cost);
        var step = Assert.Single(compilation.Report);
        Assert.Equal("BinaryCrossEntropyOfSigmoid", step.Rule.Name);
        string line = compilation.ToString();
        Assert.Contains("CompilerTests.cs:", line);
        Assert.Contains("J = BinaryCrossEntropy(Sigmoid(z), 1) → BinaryCrossEntropyWithLogits(z, 1)", line);
        Assert.Contains("saturates", line);
        Assert.Equal("J", compilation.Outputs[0].Name);
        Assert.Equal("BinaryCrossEntropyWithLogits(z, 1)", compilation.Outputs[0].ToString());
    }

    [Fact]
    public void EachPassAndEachRuleCanBeSwitchedOff()
    {
        var x = Graph.Variable("x", 800.0);
        var written = Op.Log(Op.Exp(x));
        Assert.Same(x, Compiler.Compile(written).Outputs[0]);
        Assert.Same(written, Compiler.Compile(written, new CompileOptions { Stability = false }).Outputs[0]);
        Assert.Same(written, Compiler.Compile(written, new CompileOptions { Disabled = new HashSet<string> { "LogOfExp" } }).Outputs[0]);
        Assert.Contains("No rewrites", Compiler.Compile(Op.Tanh(x)).ToString());
        // Plans run the compiled form by default; as written (no compile options), e^800 overflows.
        Assert.Equal(800.0, written.EvaluateScalar());
        Assert.Throws<NonFiniteValueException>(() => new EvaluationPlan([written], compile: null).Run());
    }

    [Fact]
    public void AMisspeltRuleNameIsAnErrorNamingTheRules()
    {
        var x = Graph.Variable("x", 2.0);
        var error = Assert.Throws<ArgumentException>(() => Compiler.Compile(Op.Log(Op.Exp(x)), new CompileOptions { Disabled = new HashSet<string> { "LogofExp" } }));
        Assert.Contains("\"LogofExp\", which is not a rule", error.Message);
        Assert.Contains("LogOfExp", error.Message);
        Assert.Contains("CommonSubexpression", error.Message);
    }

    [Fact]
    public void LogOfSoftmaxBecomesLogSoftmaxButLogOfLogSoftmaxIsLeftAlone()
    {
        var z = Graph.Variable("z", new double[,] { { -1 }, { 2 } });
        Assert.Equal("LogSoftmax", Compiler.Compile(Op.Log(Op.Softmax(z))).Outputs[0].Operation.Name);
        var logOfLogSoftmax = Op.Log(Op.Negate(Op.LogSoftmax(z)));
        Assert.Same(logOfLogSoftmax, Compiler.Compile(logOfLogSoftmax).Outputs[0]);
        var direct = Op.Log(Op.LogSoftmax(z));
        Assert.Same(direct, Compiler.Compile(direct).Outputs[0]);
    }

    [Theory]
    [InlineData(-800.0)]
    [InlineData(40.0)]
    [InlineData(800.0)]
    public void LogSigmoidIsFiniteAndExactWhereSigmoidRoundsToZeroOrOne(double value)
    {
        var x = Graph.Variable("x", value);
        var logSigmoid = Op.Log(Op.Sigmoid(x));
        var logOneMinus = Op.Log(Graph.Constant(1.0) - Op.Sigmoid(x));
        // log σ(x) = −log(1 + e^−x); log(1 − σ(x)) = −log(1 + e^x); their derivatives are 1 − σ(x) and −σ(x).
        double sigma = 1 / (1 + Math.Exp(-value));
        Assert.Equal(-(Math.Max(-value, 0) + Math.Log(1 + Math.Exp(-Math.Abs(value)))), logSigmoid.EvaluateScalar(), 1e-12 * Math.Max(1, Math.Abs(value)));
        Assert.Equal(-(Math.Max(value, 0) + Math.Log(1 + Math.Exp(-Math.Abs(value)))), logOneMinus.EvaluateScalar(), 1e-12 * Math.Max(1, Math.Abs(value)));
        Assert.Equal(1 - sigma, Gradients.Of(logSigmoid, x)[x].EvaluateScalar(), 12);
        Assert.Equal(-sigma, Gradients.Of(logOneMinus, x)[x].EvaluateScalar(), 12);
    }
}
