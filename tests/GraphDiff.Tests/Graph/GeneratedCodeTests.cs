using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>
/// Plans that generate code for their 1×1 steps (issue #22) give bit for bit what the interpreter gives — values,
/// gradients, errors — on random scalar graphs and on graphs where scalars and matrices meet, in float64 and float32,
/// whatever the plan ran before; where dynamic code is not supported the plan interprets.
/// </summary>
public class GeneratedCodeTests
{
    private static readonly Func<Node, Node>[] Unary = [x => Op.Exp(x), x => Op.Sigmoid(x), x => Op.Tanh(x), x => Op.Square(x), x => Op.Log(x), x => -x, x => Op.ReLU(x), x => Op.Power(x, 3)];
    private static readonly Func<Node, Node, Node>[] Binary = [(a, b) => a + b, (a, b) => a - b, (a, b) => a * b, (a, b) => a / b, (a, b) => 0.5 * a + b * 1.5];

    /// <summary>A random scalar graph over three variables with the gradients of its last node: every operation kind, shared nodes, GradientSum.</summary>
    private sealed class ScalarGraph
    {
        public readonly Variable[] Variables;
        public readonly Node[] Outputs;

        public ScalarGraph(int seed, int size)
        {
            var random = new Random(seed);
            Variables = [Graph.Variable("a", TestData.Unit(random)), Graph.Variable("b", TestData.Positive(random)), Graph.Variable("c", TestData.Any(random))];
            var pool = new List<Node>(Variables);
            for (int k = 0; k < size; k++)
            {
                var x = pool[random.Next(pool.Count)];
                pool.Add(random.Next(3) == 0 ? Unary[random.Next(Unary.Length)](x) : Binary[random.Next(Binary.Length)](x, pool[random.Next(pool.Count)]));
            }
            var output = pool[^1] + pool[^2];
            Outputs = [output, pool[size / 2], .. Gradients.Of(output, Variables)];
        }

        public void Change(Random random)
        {
            foreach (var v in Variables) v.Value[0, 0] = TestData.Any(random);
        }
    }

    private static EvaluationPlan Plan(Node[] outputs, bool generate, Precision precision = Precision.Double, bool reuse = true) =>
        new(outputs, precision) { UseGeneratedCode = generate, GenerateInBackground = false, InterpretedRunsFirst = 0, ReuseBuffers = reuse };

    /// <summary>Every output's bits, or the error's type and message: two plans agree when these are equal.</summary>
    private static string Outcome(EvaluationPlan plan, IReadOnlyList<Node> outputs, Feed? feed = null)
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

    [Property(MaxTest = 40)]
    public Property GeneratedCodeGivesTheInterpretersBitsAndErrors(PositiveInt seed, bool single, bool reuse)
    {
        var graph = new ScalarGraph(seed.Get, 5 + seed.Get % 60);
        var precision = single ? Precision.Single : Precision.Double;
        var generated = Plan(graph.Outputs, generate: true, precision, reuse);
        var interpreted = Plan(graph.Outputs, generate: false, precision, reuse);
        var random = new Random(seed.Get);
        var disagreements = new List<string>();
        for (int run = 0; run < 4; run++)
        {
            string expected = Outcome(interpreted, graph.Outputs), actual = Outcome(generated, graph.Outputs);
            if (expected != actual) disagreements.Add($"run {run}: interpreter {expected} | generated {actual}");
            graph.Change(random);
        }
        return (disagreements.Count == 0 && generated.GeneratedCode is not null && interpreted.GeneratedCode is null)
            .Label($"{string.Join("\n", disagreements)}\n{generated.GeneratedCode}");
    }

    /// <summary>With every value kept, every intermediate reads the same too (the values generated code keeps in registers are written out then).</summary>
    [Fact]
    public void EveryIntermediateValueIsTheInterpretersWhenValuesAreKept()
    {
        var graph = new ScalarGraph(7, 80);
        var generated = Plan(graph.Outputs, generate: true, reuse: false);
        var interpreted = Plan(graph.Outputs, generate: false, reuse: false);
        // Each plan compiled the graph itself: the same steps, as nodes of its own.
        Assert.Equal(interpreted.Steps.Count, generated.Steps.Count);
        Assert.Equal(Outcome(interpreted, interpreted.Steps), Outcome(generated, generated.Steps));
        Assert.Contains("v[", generated.GeneratedCode);
    }

    /// <summary>
    /// Scalars that read matrices (a sum), matrices that read scalars (a scaled product, a scalar broadcast), and a
    /// batch size that changes: generated methods copy in what the interpreter computed, and the interpreter reads
    /// what they wrote, in every order a random sequence of runs gives.
    /// </summary>
    [Property(MaxTest = 20)]
    public Property ScalarsAndMatricesMeetAsInTheInterpreter(PositiveInt seed)
    {
        var random = new Random(seed.Get);
        var x = Graph.Input("X", 3);
        var w = Graph.Variable("W", TestData.Matrix(random, new Shape(2, 3), TestData.Unit));
        var lambda = Graph.Variable("lambda", 0.1);
        var scale = Graph.Variable("s", 1.5);
        var z = Op.Tanh(Op.MatMul(w, x) * (scale * scale + 1));
        var penalty = lambda * Op.Sum(Op.Square(w)) / (scale + 3);
        var cost = Op.Mean(Op.Sum(Op.Square(z), axis: 0)) + Op.Exp(penalty) * 0.5 - Op.Sigmoid(lambda) * scale;
        Node[] outputs = [cost, penalty, .. Gradients.Of(cost, w, lambda, scale)];
        var generated = Plan(outputs, generate: true);
        var disagreements = new List<string>();
        foreach (int m in Enumerable.Range(0, 8).Select(_ => new[] { 1, 2, 7, 64 }[random.Next(4)]))
        {
            var feed = new Feed { { x, TestData.Matrix(random, new Shape(3, m), TestData.Any) } };
            if (random.Next(3) == 0) lambda.Value[0, 0] = TestData.Unit(random);
            string expected = Outcome(Plan(outputs, generate: false), outputs, feed), actual = Outcome(generated, outputs, feed);
            if (expected != actual) disagreements.Add($"m = {m}: interpreter {expected} | generated {actual}");
        }
        return (disagreements.Count == 0 && generated.GeneratedCode is not null).Label(string.Join("\n", disagreements));
    }

    [Fact]
    public void ANonFiniteValueInGeneratedCodeIsReportedAsTheInterpreterReportsIt()
    {
        var a = Graph.Variable("a", 2.0);
        var b = Graph.Variable("b", 0.5);
        var y = Op.Log(a - b * 4) * 3;   // log of 0 once b = 0.5
        var generated = Plan([y], generate: true);
        var interpreted = Plan([y], generate: false);
        var expected = Assert.Throws<NonFiniteValueException>(() => interpreted.Run());
        var actual = Assert.Throws<NonFiniteValueException>(() => generated.Run());
        Assert.Equal(expected.Message, actual.Message);
        Assert.Contains("Log", actual.Message);
        b.Value[0, 0] = 0.25;
        Assert.Equal(Outcome(interpreted, [y]), Outcome(generated, [y]));
        Assert.NotNull(generated.GeneratedCode);
    }

    [Fact]
    public void TheListingShowsOneLinePerStepWithItsOperationAndSourceLine()
    {
        var a = Graph.Variable("a", 2.0);
        var b = Graph.Variable("b", 3.0);
        var j = 3 * (a + b * Op.Exp(a));
        var plan = Plan([j, .. Gradients.Of(j, a, b)], generate: true);
        Assert.Null(plan.GeneratedCode);   // nothing generated before a run
        plan.Run();
        var listing = plan.GeneratedCode!;
        Assert.Matches(@"t\d+ = (t|v\[)\d+\]? \* (t|v\[)\d+", listing);
        Assert.Contains("Exp(", listing);
        Assert.Contains("GeneratedCodeTests.cs:", listing);
        Assert.Contains("copied in: ", listing);
        Assert.Contains("variable a", listing);
    }

    [Fact]
    public void EveryValueAMethodReadsIsAccountedForInTheListing()
    {
        // s is computed by the first method; a matrix's sum ends it (the interpreter runs it); the second method reads
        // s from v as the first left it. The listing said only what was copied in, so v[s] came from nowhere (README trial).
        var a = Graph.Variable("a", 2.0);
        var m = Graph.Variable("M", MathNet.Numerics.LinearAlgebra.Double.DenseMatrix.Create(2, 2, 1.5));
        var s = a * a;
        var t = s * Op.Sum(m * s) + s;
        var plan = Plan([t], generate: true);
        plan.Run();
        var listing = plan.GeneratedCode!;
        int slot = plan.Schedule.SlotOf(s);
        var methods = listing.Split("void Steps").Skip(1).ToArray();
        Assert.True(methods.Length >= 2, listing);
        var reader = Assert.Single(methods, body => body.Contains($"v[{slot}]") && !body.Contains($"t{slot} = "));
        Assert.Contains($"// computed by an earlier method: v[{slot}] (Multiply, GeneratedCodeTests.cs:", reader);
    }

    [Fact]
    public void TwoPowersReadApartInTheListingAndTheSchedule()
    {
        var a = Graph.Variable("a", 2.0);
        var q = Op.Power(a, 2.5) + Op.Power(a, 3);
        var plan = Plan([q], generate: true);
        plan.Run();
        Assert.Contains("Power (exponent 2.5)", plan.GeneratedCode);
        Assert.Contains("Power (exponent 3)", plan.GeneratedCode);
        Assert.Contains("Power(%0; exponent 2.5)", plan.Schedule.ToString());
        Assert.Contains("Add(%", plan.Schedule.ToString());   // an operation without parameters reads as before
        Assert.DoesNotContain("Add(%1, %2;", plan.Schedule.ToString());
    }

    [Fact]
    public void WithoutDynamicCodeThePlanInterpretsAndSaysSo()
    {
        var graph = new ScalarGraph(3, 30);
        var interpreted = Plan(graph.Outputs, generate: false);
        try
        {
            EvaluationPlan.DynamicCodeSupported = false;
            var plan = Plan(graph.Outputs, generate: true);
            Assert.Equal(Outcome(interpreted, graph.Outputs), Outcome(plan, graph.Outputs));
            Assert.Equal(Outcome(interpreted, graph.Outputs), Outcome(plan, graph.Outputs));
            Assert.Null(plan.GeneratedCode);
        }
        finally
        {
            EvaluationPlan.DynamicCodeSupported = System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported;
        }
    }

    /// <summary>The default: the first run interprets, code is generated in the background, and every run meanwhile and after gives the same bits.</summary>
    [Fact]
    public void CodeGeneratedInTheBackgroundTakesOverWithoutChangingAResult()
    {
        var graph = new ScalarGraph(11, 200);
        var plan = new EvaluationPlan(graph.Outputs);
        var expected = Outcome(Plan(graph.Outputs, generate: false), graph.Outputs);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (plan.GeneratedCode is null && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            Assert.Equal(expected, Outcome(plan, graph.Outputs));
            Thread.Sleep(1);
        }
        Assert.NotNull(plan.GeneratedCode);
        Assert.Equal(expected, Outcome(plan, graph.Outputs));
    }

    /// <summary>Settings that change what runs where (fusion, folding, kept values) drop the code; it is generated again, right.</summary>
    [Fact]
    public void ChangingASettingGeneratesTheCodeAgain()
    {
        var graph = new ScalarGraph(5, 40);
        var plan = Plan(graph.Outputs, generate: true);
        var expected = Outcome(Plan(graph.Outputs, generate: false), graph.Outputs);
        Assert.Equal(expected, Outcome(plan, graph.Outputs));
        plan.ReuseBuffers = false;
        Assert.Null(plan.GeneratedCode);
        Assert.Equal(expected, Outcome(plan, graph.Outputs));
        Assert.NotNull(plan.GeneratedCode);
        plan.FuseAtElements = 1;   // scalar chains now run fused: not generated
        Assert.Equal(expected, Outcome(plan, graph.Outputs));
    }

    private sealed class WrongType() : Operation
    {
        public override string Name => "WrongType";
        public override Shape InferShape(IReadOnlyList<Node> inputs) => inputs[0].Shape;
        public override void Forward(ReadOnlySpan<Tensors.Tensor> inputs, Tensors.Tensor result) => inputs[0].CopyTo(result);
        public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [upstream];
        protected internal override System.Linq.Expressions.Expression? ScalarForm(IReadOnlyList<System.Linq.Expressions.Expression> operands) =>
            System.Linq.Expressions.Expression.Convert(operands[0], typeof(int));
    }

    /// <summary>Code that cannot be generated (a defect of an inline form) leaves the plan interpreting, right, and saying why.</summary>
    [Fact]
    public void WhenGeneratingFailsThePlanInterpretsAndSaysWhy()
    {
        var a = Graph.Variable("a", 2.0);
        var y = Node.Apply(new WrongType(), [a * 2]) + a;
        var plan = Plan([y], generate: true);
        var expected = Outcome(Plan([y], generate: false), [y]);
        for (int run = 0; run < 3; run++) Assert.Equal(expected, Outcome(plan, [y]));
        Assert.Contains("WrongType.ScalarForm", plan.GeneratedCode);
        Assert.Contains("the plan interprets", plan.GeneratedCode);
    }

    /// <summary>A value kept in a register and written out is listed as both, and read back from its register.</summary>
    [Fact]
    public void TheListingNamesWhatTheCodeReadsAndWrites()
    {
        var a = Graph.Variable("a", 2.0);
        var b = Graph.Variable("b", 3.0);
        var product = a * b;
        var sum = a + product;
        var plan = Plan([sum, product], generate: true);
        plan.Run();
        var listing = plan.GeneratedCode!;
        var assigned = System.Text.RegularExpressions.Regex.Matches(listing, @"\b(t\d+) = ").Select(m => m.Groups[1].Value).ToHashSet();
        var read = System.Text.RegularExpressions.Regex.Matches(listing, @"= [^;]*?\b(t\d+)\b").Select(m => m.Groups[1].Value);
        Assert.All(read, t => Assert.Contains(t, assigned));
        Assert.Matches(@"(t\d+) = v\[\d+\] \* v\[\d+\]; v\[\d+\] = \1;", listing);
    }
}
