using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace GraphDiff.Tests;

/// <summary>
/// Chains of elementwise steps run as one generated loop each (issue #22) give bit for bit what the interpreter gives —
/// values, gradients (the backward chains), errors — for random chains over every operand that lines up (a whole
/// value, a column (n, 1), a row (1, m), a number), at sizes around every register width, in float64 and float32,
/// with buffers reused or kept, fused by blocks or not, batch sizes changing between runs.
/// </summary>
public class FusedLoopTests
{
    private static readonly Func<Node, Node>[] Unary =
    [
        x => Op.Tanh(x), x => Op.Sigmoid(x), x => Op.Exp(x), x => Op.Softplus(x), x => Op.Step(x), x => Op.Square(x), x => Op.Abs(x),
        x => -x, x => Op.ReLU(x), x => Op.Sqrt(Op.Abs(x)), x => Op.Log(Op.Square(x) + 0.5), x => Op.Softsign(x), x => Op.Log(x),
    ];

    private static readonly Func<Node, Node, Node>[] Binary = [(a, o) => a + o, (a, o) => a - o, (a, o) => o - a, (a, o) => a * o, (a, o) => o * a, (a, o) => a / o];

    /// <summary>A random chain from X, with operands of every kind that lines up with it, and its gradients.</summary>
    private sealed class Chain
    {
        public readonly Input X, Other, Row = Graph.Input("R", 1);
        public readonly Node[] Outputs;
        private readonly int rows;

        public Chain(int seed, int rows)
        {
            var random = new Random(seed);
            this.rows = rows;
            X = Graph.Input("X", rows);
            Other = Graph.Input("X2", rows);
            var b = Graph.Variable("b", TestData.Matrix(random, new Shape(rows, 1), TestData.Unit));
            var s = Graph.Variable("s", TestData.Positive(random));
            Node[] operands = [b, s, Row, Other, Graph.Constant(1.5), Op.Exp(s)];
            Node y = X;
            for (int k = 2 + random.Next(8); k > 0; k--)
                y = random.Next(2) == 0 ? Unary[random.Next(Unary.Length)](y) : Binary[random.Next(Binary.Length)](y, operands[random.Next(operands.Length)]);
            var cost = Op.Sum(Op.Square(y));
            Outputs = [y, cost, .. Gradients.Of(cost, b, s)];
        }

        public Feed Feed(Random random, int m) => new()
        {
            { X, TestData.Matrix(random, new Shape(rows, m), TestData.Any) },
            { Other, TestData.Matrix(random, new Shape(rows, m), TestData.Positive) },
            { Row, TestData.Matrix(random, new Shape(1, m), TestData.Positive) },
        };
    }

    private static readonly int[] Sizes = [0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 100];
    private static readonly int[] Rows = [1, 2, 3, 4, 5, 7, 8, 9, 16, 17];

    private static EvaluationPlan Plan(Node[] outputs, bool generate, Precision precision, bool reuse, bool blocks) =>
        new(outputs, precision) { UseGeneratedCode = generate, GenerateInBackground = false, InterpretedRunsFirst = 0, ReuseBuffers = reuse, FuseAtElements = blocks ? 1 : 32 * 1024, LoopEveryChain = true };

    /// <summary>Every output's bits, or the error's type and message.</summary>
    private static string Outcome(EvaluationPlan plan, IReadOnlyList<Node> outputs, Feed feed)
    {
        try
        {
            var run = plan.Run(feed);
            return string.Join(" ", outputs.Select(o => string.Join(",", run[o].Enumerate().Select(x => BitConverter.DoubleToInt64Bits(x).ToString("x")))));
        }
        catch (Exception e) when (e is NonFiniteValueException or ArgumentException)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }

    [Property(MaxTest = 60)]
    public Property ALoopGivesTheInterpretersBitsAndErrors(PositiveInt seed, bool single, bool reuse, bool blocks)
    {
        string? disagreement = Disagreement(seed.Get, single, reuse, blocks);
        return (disagreement is null).Label(disagreement ?? "");
    }

    /// <summary>What a generated plan and the interpreter disagree on over runs of random batch sizes, or null.</summary>
    internal static string? Disagreement(int seed, bool single, bool reuse, bool blocks)
    {
        var random = new Random(seed);
        var chain = new Chain(seed, Rows[random.Next(Rows.Length)]);
        var precision = single ? Precision.Single : Precision.Double;
        var generated = Plan(chain.Outputs, generate: true, precision, reuse, blocks);
        var interpreted = Plan(chain.Outputs, generate: false, precision, reuse, blocks);
        var disagreements = new List<string>();
        for (int run = 0; run < 5; run++)
        {
            int m = Sizes[random.Next(Sizes.Length)];
            var feed = chain.Feed(random, m);
            string expected = Outcome(interpreted, chain.Outputs, feed), actual = Outcome(generated, chain.Outputs, feed);
            if (expected != actual) disagreements.Add($"run {run}, m = {m}: interpreter {expected}\n   generated {actual}");
        }
        var listing = generated.GeneratedCode ?? "";
        return disagreements.Count == 0 && interpreted.GeneratedCode is null ? null
            : $"{string.Join("\n", disagreements)}\n{listing}";
    }

    /// <summary>The loops did run: a chain that every operation can write on registers is listed as one, with its lines.</summary>
    [Theory]
    [InlineData(Precision.Double)]
    [InlineData(Precision.Single)]
    public void TheListingShowsTheLoopOfAChain(Precision precision)
    {
        var x = Graph.Input("X", 4);
        var b = Graph.Variable("b", new MathNet.Numerics.LinearAlgebra.Double.DenseMatrix(4, 1));
        var a = Op.Tanh(x * 2 + b);
        var plan = Plan([a], generate: true, precision, reuse: true, blocks: false);
        var feed = new Feed { { x, TestData.Matrix(new Random(1), new Shape(4, 9), TestData.Any) } };
        Assert.Equal(Outcome(Plan([a], generate: false, precision, true, false), [a], feed), Outcome(plan, [a], feed));
        var listing = plan.GeneratedCode!;
        Assert.Contains("void Chain", listing);
        Assert.Contains("Tanh(t", listing);
        Assert.Matches(@"t\d+ = t\d+ \+ x\d+;", listing);
        Assert.Contains("a register of the column", listing);
        Assert.Contains("FusedLoopTests.cs:", listing);
    }

    /// <summary>An operation without a form on registers leaves its chain to the interpreter, and the listing says so.</summary>
    [Fact]
    public void AChainWithoutRegisterFormsIsInterpretedAndListedSo()
    {
        var x = Graph.Input("X", 3);
        var y = Op.Softsign(Op.Tanh(x) * 3);
        var plan = Plan([y], generate: true, Precision.Single, reuse: true, blocks: false);
        var feed = new Feed { { x, TestData.Matrix(new Random(2), new Shape(3, 17), TestData.Any) } };
        Assert.Equal(Outcome(Plan([y], generate: false, Precision.Single, true, false), [y], feed), Outcome(plan, [y], feed));
        Assert.Contains("is interpreted: Softsign has no form on a register", plan.GeneratedCode);
    }

    /// <summary>By default a chain whose kernel calls outweigh its other steps stays with the interpreter, and the listing says why.</summary>
    [Fact]
    public void AChainMostlyOfKernelCallsIsInterpretedByDefault()
    {
        var x = Graph.Input("X", 8);
        var y = Op.Tanh(Op.Sigmoid(x * 2) * x) * 3;
        var z = Op.ReLU(x * 3 + 1) - x;
        var plan = new EvaluationPlan([y, z]) { GenerateInBackground = false, InterpretedRunsFirst = 0 };
        var feed = new Feed { { x, TestData.Matrix(new Random(4), new Shape(8, 21), TestData.Any) } };
        Assert.Equal(Outcome(Plan([y, z], generate: false, Precision.Double, true, false), [y, z], feed), Outcome(plan, [y, z], feed));
        Assert.Contains("is interpreted: its 2 kernel call(s) a register outweigh its 3 other step(s)", plan.GeneratedCode);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(plan.GeneratedCode!, "void Chain"));
    }

    /// <summary>A NaN or ∞ inside a loop is reported as the interpreter reports it: the node, the element, the operands.</summary>
    [Theory]
    [InlineData(Precision.Double, false)]
    [InlineData(Precision.Single, true)]
    public void ANonFiniteValueInALoopIsReportedAsTheInterpreterReportsIt(Precision precision, bool blocks)
    {
        var x = Graph.Input("X", 3);
        var y = Op.Tanh(Op.Log(x - 1) * 2);
        var values = TestData.Matrix(new Random(3), new Shape(3, 13), TestData.Positive).Map(v => v + 1.5);
        values[2, 11] = 1;   // log 0, at the tail of the last column
        var feed = new Feed { { x, values } };
        var expected = Assert.Throws<NonFiniteValueException>(() => Plan([y], generate: false, precision, true, blocks).Run(feed));
        var plan = Plan([y], generate: true, precision, true, blocks);
        var actual = Assert.Throws<NonFiniteValueException>(() => plan.Run(feed));
        Assert.Equal(expected.Message, actual.Message);
        Assert.Contains("void Chain", plan.GeneratedCode);
        values[2, 11] = 3;
        feed[x] = values;
        Assert.Equal(Outcome(Plan([y], generate: false, precision, true, blocks), [y], feed), Outcome(plan, [y], feed));
    }

    /// <summary>ReLU and Step at the values where max and comparisons can differ: −0, +0, and with the check off, NaN and ±∞.</summary>
    [Theory]
    [InlineData(Precision.Double)]
    [InlineData(Precision.Single)]
    public void EdgeValuesGiveTheInterpretersBits(Precision precision)
    {
        var x = Graph.Input("X", 1);
        // Each a chain of two steps: a scaling by a power of two (exact, and no two alike, so that none is shared), then the function.
        Node[] outputs = [Op.ReLU(x * 0.5), Op.Step(x * 0.25), Op.Abs(x * 2), Op.Tanh(x * 4), Op.Sigmoid(x * 8), Op.Exp(x * 0.125), Op.Softplus(x * 16), -(x * 32)];
        double[] edges = [0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e-310, -1e-310, 710, -750, 20, -20, 1e300];
        var feed = new Feed { { x, MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(1, edges.Length, edges) } };
        EvaluationPlan Unchecked(bool generate)
        {
            var plan = Plan(outputs, generate, precision, true, false);
            plan.CheckFinite = false;
            plan.CheckInputs = false;
            return plan;
        }
        var generated = Unchecked(true);
        Assert.Equal(Outcome(Unchecked(false), outputs, feed), Outcome(generated, outputs, feed));
        Assert.Contains("void Chain", generated.GeneratedCode);
    }

    /// <summary>Where dynamic code is not supported, no loop is generated and the results are the same.</summary>
    [Fact]
    public void WithoutDynamicCodeChainsAreInterpreted()
    {
        var chain = new Chain(5, 3);
        var feed = chain.Feed(new Random(5), 17);
        var expected = Outcome(Plan(chain.Outputs, false, Precision.Double, true, false), chain.Outputs, feed);
        try
        {
            EvaluationPlan.DynamicCodeSupported = false;
            var plan = Plan(chain.Outputs, true, Precision.Double, true, false);
            Assert.Equal(expected, Outcome(plan, chain.Outputs, feed));
            Assert.Null(plan.GeneratedCode);
        }
        finally
        {
            EvaluationPlan.DynamicCodeSupported = System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported;
        }
    }
}
