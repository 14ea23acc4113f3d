using System.Reflection;
using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GraphDiff.Tests;

/// <summary>The emitted backward pass, compiled with Roslyn in the test process, computes what the graph computes.</summary>
public class BackpropCodeTests
{
    public static TheoryData<string> Models() => ["logistic regression", "shallow tanh", "deep relu"];

    private static Network Build(string model) => model switch
    {
        "logistic regression" => Network.LogisticRegression(3),
        "shallow tanh" => Network.Create([3, 4, 1], new NetworkOptions { Hidden = Activation.Tanh, Seed = 2 }),
        _ => Network.Create([3, 5, 4, 1], new NetworkOptions { Seed = 3 }),
    };

    [Theory, MemberData(nameof(Models))]
    public void TheEmittedBackpropComputesTheGraphsGradients(string model)
    {
        var net = Build(model);
        var random = new Random(6);
        var feed = new Feed { { net.X, TestData.Matrix(random, new Shape(3, 7), r => r.NextDouble() * 2 - 1) }, { net.Y, DenseMatrix.Create(1, 7, (_, j) => j % 2) } };
        var source = BackpropCode.Emit(net.Cost, net.Parameters);
        Assert.Contains("var dZ", source);
        var backward = Compile(source).GetType("GeneratedBackprop")!.GetMethod("Backward")!;

        // The cache: every named forward value and every leaf.
        var forward = Graph.Order([net.Cost]).Where(n => n.Name is not null && n is not Constant).ToArray();
        var run = new EvaluationPlan(forward, compile: null) { ReuseBuffers = false, Fuse = false }.Run(feed);
        var values = forward.ToDictionary(n => n.Name!, n => run.Tensor(n).ToMatrixCopy());
        var theirs = (Dictionary<string, Matrix<double>>)backward.Invoke(null, [values])!;

        var gradients = Gradients.Of(net.Cost, net.Parameters);
        var expected = new EvaluationPlan(gradients).Run(feed);
        for (int k = 0; k < net.Parameters.Count; k++)
        {
            var want = expected.Tensor(gradients[k]);
            var got = theirs["d" + net.Parameters[k].Name];
            for (int j = 0; j < want.Columns; j++)
                for (int i = 0; i < want.Rows; i++)
                    Assert.True(Math.Abs(want[i, j] - got[i, j]) <= 1e-12 * Math.Max(1, Math.Abs(want[i, j])), $"{model}: d{net.Parameters[k].Name}[{i}, {j}] = {got[i, j]}, expected {want[i, j]}");
        }
    }

    /// <summary>The statements of the emitted method after the cache is read: each variable it declares and the formula in its comment.</summary>
    private static (string Name, string Formula)[] Statements(string source) =>
        source.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("var ", StringComparison.Ordinal) && !l.Contains("values[\"", StringComparison.Ordinal))
            .Select(l => (l[4..l.IndexOf(' ', 4)], l.Contains("// ", StringComparison.Ordinal) ? l[(l.IndexOf("// ", StringComparison.Ordinal) + 3)..] : "")).ToArray();

    [Fact]
    public void TheShallowNetworksBackpropReadsLikeTheCourses()
    {
        // Reported: t23 temporaries, and dW1 computed before dW2.
        var net = Build("shallow tanh");
        var statements = Statements(BackpropCode.Emit(net.Cost, net.Parameters));
        Assert.Equal(["m", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1"], statements.Select(s => s.Name));
        Assert.Equal(
        [
            "dZ2 = A2 - Y", "dW2 = 1 / m * dZ2·A1ᵀ", "db2 = 1 / m * Sum(dZ2, axis: 1)",
            "dA1 = W2ᵀ·dZ2", "dZ1 = dA1 * (1 - A1²)", "dW1 = 1 / m * dZ1·Xᵀ", "db1 = 1 / m * Sum(dZ1, axis: 1)",
        ], statements.Skip(1).Select(s => s.Formula));
    }

    [Fact]
    public void ADeepNetworksBackpropGoesFromTheLastLayerToTheFirst()
    {
        var net = Build("deep relu");
        var names = Statements(BackpropCode.Emit(net.Cost, net.Parameters)).Select(s => s.Name).ToArray();
        Assert.Equal(["m", "dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1"], names);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void TheEmittedBackpropOfARandomGraphComputesItsGradients(int seed)
    {
        // A random DAG with fan-out and broadcasting over three variables; every node weighted into J.
        var random = new Random(seed);
        var shapes = new[] { new Shape(3, 4), new Shape(3, 1), new Shape(1, 4), Shape.Scalar };
        var leaves = Enumerable.Range(0, 3).Select(k => Graph.Variable($"x{k}", TestData.Matrix(random, k == 0 ? shapes[0] : shapes[random.Next(4)], r => r.NextDouble() - 0.5))).ToList();
        var nodes = new List<Node>(leaves);
        for (int step = 0; step < 12; step++)
        {
            Node Pick() => nodes[random.Next(nodes.Count)];
            try
            {
                nodes.Add(random.Next(7) switch
                {
                    0 => Op.Tanh(Pick()),
                    1 => Op.Sigmoid(Pick()),
                    2 => Pick() + Pick(),
                    3 => Pick() * Pick(),
                    4 => Pick() - 0.5 * Pick(),
                    5 => Op.Sum(Pick(), axis: random.Next(2)),
                    _ => Op.Square(Op.Tanh(Pick())),
                });
            }
            catch (ShapeMismatchException) { }
        }
        var cost = nodes.Select((n, k) => Op.Sum(n * Graph.Constant(TestData.Matrix(random, n.Shape, r => r.NextDouble()), $"C{k}"))).Aggregate((a, b) => a + b);
        var backward = Compile(BackpropCode.Emit(cost, leaves)).GetType("GeneratedBackprop")!.GetMethod("Backward")!;
        var named = Graph.Order([cost]).Where(n => n.Name is not null).ToArray();
        var run = new EvaluationPlan(named.Where(n => n is not Constant), compile: null) { ReuseBuffers = false, Fuse = false }.Run();
        var values = named.ToDictionary(n => n.Name!, n => n is Constant c ? ConstantValue(c) : run.Tensor(n).ToMatrixCopy());
        var theirs = (Dictionary<string, Matrix<double>>)backward.Invoke(null, [values])!;
        var gradients = Gradients.Of(cost, leaves);
        var expected = new EvaluationPlan(gradients).Run();
        for (int k = 0; k < leaves.Count; k++)
        {
            var want = expected.Tensor(gradients[k]);
            var got = theirs["d" + leaves[k].Name];
            for (int j = 0; j < want.Columns; j++)
                for (int i = 0; i < want.Rows; i++)
                    Assert.True(Math.Abs(want[i, j] - got[i, j]) <= 1e-12 * Math.Max(1, Math.Abs(want[i, j])), $"seed {seed}: d{leaves[k].Name}[{i}, {j}] = {got[i, j]}, expected {want[i, j]}");
        }
    }

    private static Matrix<double> ConstantValue(Constant c)
    {
        var t = Tensor.Zeros(c.Shape.Rows, c.Shape.Columns);
        c.WriteTo(t);
        return t.ToMatrixCopy();
    }

    internal static Assembly Compile(string source)
    {
        var references = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && !string.IsNullOrEmpty(a.Location))
            .Select(a => MetadataReference.CreateFromFile(a.Location));
        var compilation = CSharpCompilation.Create("GeneratedBackprop", [CSharpSyntaxTree.ParseText(source)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)) + "\n" + source);
        return Assembly.Load(stream.ToArray());
    }
}
