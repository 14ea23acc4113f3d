using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Nn;

/// <summary>
/// Saving any graph: a hand-built 784-64-10 network with a user's Swish operation and an L2 term, every
/// catalogued operation, and the errors for files and operations that cannot be read back.
/// </summary>
public class GraphFileTests
{
    // The user's own operation: swish(x) = x·σ(x), dswish/dx = σ(x) + y(1 − σ(x)).
    private static readonly Elementwise Swish = new("Swish",
        (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = x[i] / (1 + Math.Exp(-x[i])); },
        derivative: (x, y) => Op.Sigmoid(x) + y * (1.0 - Op.Sigmoid(x)));

    private static Matrix<double> Random(int rows, int columns, int seed, double scale = 1)
    {
        var random = new Random(seed);
        return DenseMatrix.Create(rows, columns, (_, _) => (random.NextDouble() * 2 - 1) * scale);
    }

    /// <summary>784-64-10 with Swish, softmax cross-entropy and λ/2m ΣW².</summary>
    private static (Model Model, Input X, Input Y) HandBuilt()
    {
        var X = Graph.Input("X", 784);
        var Y = Graph.Input("Y", 10);
        var W1 = Graph.Variable("W1", Random(64, 784, 1, 0.05));
        var b1 = Graph.Variable("b1", Random(64, 1, 2, 0.1));
        var W2 = Graph.Variable("W2", Random(10, 64, 3, 0.1));
        var b2 = Graph.Variable("b2", Random(10, 1, 4, 0.1));
        var A1 = Swish.Apply(Op.MatMul(W1, X) + b1).Named("A1");
        var Z2 = (Op.MatMul(W2, A1) + b2).Named("Z2");
        var l2 = 0.7 / 2 * (Op.Sum(Op.Square(W1)) + Op.Sum(Op.Square(W2))) / Op.Count(X, axis: 1);
        var cost = Op.SoftmaxCrossEntropy(Z2, Y) + l2;
        return (new Model(cost, [W1, b1, W2, b2], [Op.Softmax(Z2)]), X, Y);
    }

    private static Feed FeedFor(Model model, int m)
    {
        var labels = Random(1, m, 9);
        var y = DenseMatrix.Create(10, m, (i, j) => i == (int)((labels[0, j] + 1) * 4.99) ? 1 : 0);
        return new Feed { { model.Input("X"), Random(784, m, 8) }, { model.Input("Y"), y } };
    }

    private static Matrix<double>[] CostOutputsAndGradients(Model model, Feed feed)
    {
        var gradients = Gradients.Of(model.Cost, model.Parameters);
        return [.. new[] { model.Cost }.Concat(model.Outputs).Concat(model.Parameters.Select(p => gradients[p])).ToArray().Evaluate(feed)];
    }

    [Fact]
    public void AHandBuiltModelWithAUserOperationEvaluatesAndDifferentiatesBitIdenticallyWhenLoaded()
    {
        OperationRegistry.Register(Swish);
        var (model, _, _) = HandBuilt();
        using var dir = new TempDirectory();
        var path = dir.File("swish.graph");
        GraphFile.Save(model, path);
        var loaded = GraphFile.LoadModel(path);

        Assert.Equal(model.Parameters.Select(p => (p.Name, p.Shape)), loaded.Parameters.Select(p => (p.Name, p.Shape)));
        Assert.Equal(model.Cost.ToString(), loaded.Cost.ToString());
        var before = CostOutputsAndGradients(model, FeedFor(model, 33));
        var after = CostOutputsAndGradients(loaded, FeedFor(loaded, 33));
        Assert.Equal(before.Length, after.Length);
        for (int k = 0; k < before.Length; k++)
            Assert.True(before[k].Enumerate().SequenceEqual(after[k].Enumerate()), $"result {k} differs after loading");
        // The nodes keep the lines that built them.
        Assert.Equal(Path.GetFileName(model.Cost.Location.File), Path.GetFileName(loaded.Cost.Location.File));
        Assert.Equal(model.Cost.Location.Line, loaded.Cost.Location.Line);
        // Variables are fresh: training the loaded model leaves the original alone.
        loaded.Parameters[0].Value = loaded.Parameters[0].Value * 2;
        Assert.NotEqual(model.Parameters[0].Value[0, 0], loaded.Parameters[0].Value[0, 0]);
    }

    [Fact]
    public void EveryCataloguedOperationAndItsDerivativesRoundTrip()
    {
        using var dir = new TempDirectory();
        var entries = OperationCatalogue.Of(typeof(Op));
        Assert.True(entries.Count >= 30);
        foreach (var entry in entries)
        {
            var nodes = new[] { entry.Node }.Concat(entry.Derivatives.Where(d => d.Gradient is not null).Select(d => d.Gradient!)).ToArray();
            var path = dir.File("entry.graph");
            GraphFile.Save(nodes, path);
            var loaded = GraphFile.Load(path);
            Assert.Equal(nodes.Length, loaded.Count);
            for (int k = 0; k < nodes.Length; k++)
            {
                var original = Graph.Order([nodes[k]]);
                var read = Graph.Order([loaded[k]]);
                Assert.Equal(original.Count, read.Count);
                for (int i = 0; i < original.Count; i++)
                {
                    Assert.True(original[i].Operation.GetType() == read[i].Operation.GetType() && original[i].Shape == read[i].Shape,
                        $"{entry.Builder}: node {original[i].Label} read back as {read[i].Label}");
                    Assert.Equal(original[i].Operation.Attributes.OrderBy(a => a.Key), read[i].Operation.Attributes.OrderBy(a => a.Key));
                }
                Assert.Equal(nodes[k].ToString(), loaded[k].ToString());
            }
        }
    }

    [Fact]
    public void AModelKeepsItsPrecisionAndAVersion2FileLoadsAsDouble()
    {
        using var dir = new TempDirectory();
        var network = Network.Create([3, 4, 1], new NetworkOptions { Precision = Precision.Single });
        Assert.Equal(Precision.Single, network.Model.Precision);
        GraphFile.Save(network.Model, dir.File("single.graph"));
        Assert.Equal(Precision.Single, GraphFile.LoadModel(dir.File("single.graph")).Precision);
        GraphFile.Save(Network.Create([3, 4, 1]).Model, dir.File("double.graph"));
        Assert.Equal(Precision.Double, GraphFile.LoadModel(dir.File("double.graph")).Precision);

        // Version 2 wrote no precision: the byte is the payload's last, after the parameters' indices.
        var magic = "GRAPHDIFF-GRAPH\n"u8.ToArray();
        var payload = ChecksummedFile.Read(dir.File("single.graph"), magic, GraphFile.FormatVersion, "graph");
        Assert.Equal((byte)Precision.Single, payload[^1]);
        ChecksummedFile.Write(dir.File("v2.graph"), magic, 2, payload[..^1]);
        Assert.Equal(Precision.Double, GraphFile.LoadModel(dir.File("v2.graph")).Precision);
        payload[^1] = 4;
        ChecksummedFile.Write(dir.File("bad.graph"), magic, GraphFile.FormatVersion, payload);
        Assert.Contains("unknown precision 4", Assert.Throws<DataFormatException>(() => GraphFile.LoadModel(dir.File("bad.graph"))).Message);
    }

    /// <summary>A network trained with dropout saves as a graph: saving used to probe the dropout mask, which had moved on in training.</summary>
    [Fact]
    public void ANetworkTrainedWithDropoutSavesAsAGraph()
    {
        using var dir = new TempDirectory();
        var network = Network.Create([4, 3, 1], new NetworkOptions { KeepProbability = 0.9, Seed = 2 });
        var random = new Random(1);
        Trainer.Train(network, DenseMatrix.Create(4, 8, (_, _) => random.NextDouble()), DenseMatrix.Create(1, 8, (_, j) => j % 2), new TrainingOptions { Epochs = 3 });
        GraphFile.Save(network.Model, dir.File("dropout.graph"));
        var loaded = GraphFile.LoadModel(dir.File("dropout.graph"));
        Assert.True(network.Parameters.Zip(loaded.Parameters).All(p => p.First.Value.Equals(p.Second.Value)));
    }

    [Fact]
    public void ANetworkSavedAsAGraphPredictsTheSame()
    {
        var network = Network.Create([5, 4, 1]);
        using var dir = new TempDirectory();
        var path = dir.File("net.graph");
        GraphFile.Save(network.Model, path);
        var loaded = GraphFile.LoadModel(path);
        var x = Random(5, 17, 11);
        var feed = new Feed { { loaded.Input("X"), x } };
        Assert.True(network.PredictProbabilities(x).Enumerate().SequenceEqual(loaded.Outputs[0].Evaluate(feed).Enumerate()));
    }

    [Fact]
    public void ANetworkWithDropoutAndL2SavesAsAGraphAndReadsBack()
    {
        var network = Network.Create([4, 6, 1], new NetworkOptions { KeepProbability = 0.5, L2 = 0.3, Seed = 2 });
        using var dir = new TempDirectory();
        var path = dir.File("dropout.graph");
        GraphFile.Save(network.Model, path);
        var loaded = GraphFile.LoadModel(path);
        Assert.Contains(Graph.Order([loaded.Cost]), n => n.Operation.Name == "DropoutMask");
        Assert.Equal(network.Cost.ToString(), loaded.Cost.ToString());
        // The masks restart from their seed: the first evaluation of each graph draws the same masks.
        var x = Random(4, 10, 5);
        var y = DenseMatrix.Create(1, 10, (_, j) => j % 2);
        var fresh = Network.Create([4, 6, 1], new NetworkOptions { KeepProbability = 0.5, L2 = 0.3, Seed = 2 });
        Assert.Equal(fresh.Cost.Evaluate(new Feed { { fresh.X, x }, { fresh.Y, y } })[0, 0],
            loaded.Cost.Evaluate(new Feed { { loaded.Input("X"), x }, { loaded.Input("Y"), y } })[0, 0]);
    }

    [Fact]
    public void AnUnregisteredOperationIsRefusedWhenSavingNamingItAndHowToRegisterIt()
    {
        var unregistered = new Elementwise("NeverRegisteredCube", (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = x[i] * x[i] * x[i]; }, derivative: (x, y) => 3.0 * Op.Square(x));
        var x = Graph.Variable("x", 2.0);
        using var dir = new TempDirectory();
        var path = dir.File("cube.graph");
        var e = Assert.Throws<InvalidOperationException>(() => GraphFile.Save([unregistered.Apply(x)], path));
        Assert.Contains("'NeverRegisteredCube'", e.Message);
        Assert.Contains("OperationRegistry.Register", e.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void AFileNamingAnUnregisteredOperationIsRefusedNamingIt()
    {
        var registered = new Elementwise("RegisteredAaaa", (x, y) => x.CopyTo(y), derivative: (x, y) => Graph.Filled(x.Shape, 1.0));
        OperationRegistry.Register(registered);
        using var dir = new TempDirectory();
        var path = dir.File("op.graph");
        GraphFile.Save([registered.Apply(Graph.Variable("x", 2.0))], path);
        // The same file as another program without that registration would see it: the name changed, the checksum redone.
        var payload = ChecksummedFile.Read(path, "GRAPHDIFF-GRAPH\n"u8.ToArray(), GraphFile.FormatVersion, "graph");
        var text = System.Text.Encoding.UTF8.GetBytes("RegisteredAaaa");
        int at = payload.AsSpan().IndexOf(text);
        Assert.True(at > 0);
        System.Text.Encoding.UTF8.GetBytes("UnregisteredB").CopyTo(payload, at);
        payload[at + 13] = (byte)'x';
        ChecksummedFile.Write(path, "GRAPHDIFF-GRAPH\n"u8.ToArray(), GraphFile.FormatVersion, payload);
        var e = Assert.Throws<DataFormatException>(() => GraphFile.Load(path));
        Assert.Contains("'UnregisteredBx' is not registered", e.Message);
        Assert.Contains("OperationRegistry.Register", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void CorruptedTruncatedAndForeignFilesAreRefusedNamingTheFile()
    {
        using var dir = new TempDirectory();
        var path = dir.File("g.graph");
        var x = Graph.Input("X", 3);
        GraphFile.Save([Op.Tanh(Op.MatMul(Graph.Variable("W", Random(2, 3, 1)), x))], path);
        var good = File.ReadAllBytes(path);

        var flipped = (byte[])good.Clone();
        flipped[good.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, flipped);
        Assert.Contains("checksum", Assert.Throws<DataFormatException>(() => GraphFile.Load(path)).Message);

        File.WriteAllBytes(path, good[..^5]);
        Assert.Contains("truncated", Assert.Throws<DataFormatException>(() => GraphFile.Load(path)).Message);

        var network = Network.Create([2, 1]);
        ModelFile.Save(network, path);
        Assert.Contains("not a GraphDiff graph file", Assert.Throws<DataFormatException>(() => GraphFile.Load(path)).Message);

        GraphFile.Save([Op.Tanh(x)], path);
        Assert.Contains("holds a graph, not a model", Assert.Throws<DataFormatException>(() => GraphFile.LoadModel(path)).Message);
    }

    [Fact]
    public void RegisteringAnotherOperationUnderATakenNameIsRefused()
    {
        var impostor = new Elementwise("Tanh", (x, y) => x.CopyTo(y), derivative: null);
        Assert.Contains("already registered", Assert.Throws<ArgumentException>(() => OperationRegistry.Register(impostor)).Message);
        OperationRegistry.Register(Swish);
        OperationRegistry.Register(Swish);   // the same instance again is fine
    }

    /// <summary>A class-based operation that makes a new instance per node, as the README's example does.</summary>
    private sealed class CubeClass : ElementwiseUnary
    {
        public override string Name => "CubeClassForGraphFiles";

        protected override void Forward(ReadOnlySpan<double> x, Span<double> y)
        {
            for (int i = 0; i < x.Length; i++) y[i] = x[i] * x[i] * x[i];
        }

        public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [upstream * (3.0 * Op.Square(node.Inputs[0]))];

        public static Node Of(Node x) => Node.Apply(new CubeClass(), [x]);
    }

    /// <summary>Another class under the same name: not the same operation.</summary>
    private sealed class OtherCubeClass : ElementwiseUnary
    {
        public override string Name => "CubeClassForGraphFiles";

        protected override void Forward(ReadOnlySpan<double> x, Span<double> y) => x.CopyTo(y);

        public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [upstream];
    }

    [Fact]
    public void AClassOperationRegisteredOnceIsSavedWhicheverInstanceANodeHolds()
    {
        OperationRegistry.Register(new CubeClass());
        OperationRegistry.Register(new CubeClass());   // another instance of the same class is the same operation
        Assert.Contains("already registered", Assert.Throws<ArgumentException>(() => OperationRegistry.Register(new OtherCubeClass())).Message);
        Assert.False(OperationRegistry.IsRegistered(new OtherCubeClass()));

        using var dir = new TempDirectory();
        var path = dir.File("cube.gdgraph");
        var v = Graph.Variable("v", DenseMatrix.Create(2, 3, (i, j) => i - j + 0.5));
        var J = Op.Sum(CubeClass.Of(v) + CubeClass.Of(v * 2.0));
        GraphFile.Save([J], path);
        Assert.Equal(J.Evaluate()[0, 0], GraphFile.Load(path).Single().Evaluate()[0, 0]);
    }

    /// <summary>A learner's parameterised class that forgets to declare its parameter in Attributes.</summary>
    private sealed class ForgetfulScaledTanh(double scale) : ElementwiseUnary
    {
        public override string Name => "ForgetfulScaledTanh";

        protected override void Forward(ReadOnlySpan<double> x, Span<double> y)
        {
            for (int i = 0; i < x.Length; i++) y[i] = scale * Math.Tanh(x[i]);
        }

        public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [upstream * (scale * (1.0 - Op.Square(Op.Tanh(node.Inputs[0]))))];
    }

    [Fact]
    public void AParameterMissingFromAttributesIsRefusedOnSaveInsteadOfLoadingAsAnotherValue()
    {
        OperationRegistry.Register(new ForgetfulScaledTanh(1.0));
        using var dir = new TempDirectory();
        var v = Graph.Variable("v", DenseMatrix.Create(2, 3, (i, j) => i - j + 0.5));

        // The registered parameter: read back as it is, so it saves.
        GraphFile.Save([Op.Sum(Node.Apply(new ForgetfulScaledTanh(1.0), [v]))], dir.File("same.gdgraph"));

        // Another value would load as 1.0: refused, naming the node and what to declare.
        var refused = Assert.Throws<InvalidOperationException>(() => GraphFile.Save([Op.Sum(Node.Apply(new ForgetfulScaledTanh(3.0), [v]))], dir.File("other.gdgraph")));
        Assert.Contains("'ForgetfulScaledTanh'", refused.Message);
        Assert.Contains("Attributes", refused.Message);
        Assert.False(File.Exists(dir.File("other.gdgraph")));

        var network = Network.Create([2, 3, 1], new NetworkOptions { Hidden = Activation.Of(new ForgetfulScaledTanh(3.0)), Seed = 1 });
        Assert.Contains("Attributes", Assert.ThrowsAny<Exception>(() => ModelFile.Save(network, dir.File("net.gdmodel"))).Message);
    }

    [Fact]
    public void AUserOperationUnderABuiltInsNameIsRefusedSayingTheNameIsTaken()
    {
        var impostor = new Elementwise("Sigmoid", (x, y) => System.Numerics.Tensors.TensorPrimitives.Tanh(x, y), derivative: (x, y) => 1.0 - Op.Square(y));
        using var dir = new TempDirectory();
        var refused = Assert.Throws<InvalidOperationException>(() => GraphFile.Save([Op.Sum(impostor.Apply(Graph.Variable("z", 1.0)))], dir.File("g.gdgraph")));
        Assert.Contains("registered to another operation (a built-in)", refused.Message);
        Assert.Contains("name of its own", refused.Message);
    }
}
