using System.Text;
using GraphDiff.Nn;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Nn;

/// <summary>
/// Graph files of rank-N graphs: every axis of inputs, variables, constants and nodes, and the operations'
/// geometry attributes, read back as saved; version-1 files (rank 2, rows and columns) still read; a corrupt rank or
/// dimension is refused naming the file and the node.
/// </summary>
public class RankNGraphFileTests
{
    private static readonly byte[] Magic = "GRAPHDIFF-GRAPH\n"u8.ToArray();

    /// <summary>A graph written by GraphDiff's graph format version 1: Sum((tanh(W·X + b) ⊙ c)² + half), W 2×3, b and c 2×1.</summary>
    private const string Version1File =
        "R1JBUEhESUZGLUdSQVBICgEAAAB4BAAAAQwAAAAAAVg3L3dvcmsvd3QtdGVhY2gvdGVzdHMvR3JhcGhEaWZmLlRlc3RzL05uL1RtcFYxRml4dH" +
        "VyZS5jcwkAAAADAAAA/////wEBVzcvd29yay93dC10ZWFjaC90ZXN0cy9HcmFwaERpZmYuVGVzdHMvTm4vVG1wVjFGaXh0dXJlLmNzCgAAAAIA" +
        "AAADAAAAAAAAAAAA4D8AAAAAAADQPwAAAAAAAPC/AAAAAAAACEAAAAAAAAAAQAAAAAAAAOi/AQFiNy93b3JrL3d0LXRlYWNoL3Rlc3RzL0dyYX" +
        "BoRGlmZi5UZXN0cy9Obi9UbXBWMUZpeHR1cmUuY3MLAAAAAgAAAAEAAACamZmZmZm5P5qZmZmZmcm/AgFjNy93b3JrL3d0LXRlYWNoL3Rlc3Rz" +
        "L0dyYXBoRGlmZi5UZXN0cy9Obi9UbXBWMUZpeHR1cmUuY3MMAAAAAgAAAAEAAAAAAAAAAAD4PwAAAAAAAARABAA3L3dvcmsvd3QtdGVhY2gvdG" +
        "VzdHMvR3JhcGhEaWZmLlRlc3RzL05uL1RtcFYxRml4dHVyZS5jcw0AAAACAAAA/////wZNYXRNdWwCAAAACnRyYW5zcG9zZUEAAAAAAAAAAAp0" +
        "cmFuc3Bvc2VCAAAAAAAAAAACAAAAAQAAAAAAAAAEADcvd29yay93dC10ZWFjaC90ZXN0cy9HcmFwaERpZmYuVGVzdHMvTm4vVG1wVjFGaXh0dX" +
        "JlLmNzDQAAAAIAAAD/////A0FkZAAAAAACAAAABAAAAAIAAAAEADcvd29yay93dC10ZWFjaC90ZXN0cy9HcmFwaERpZmYuVGVzdHMvTm4vVG1w" +
        "VjFGaXh0dXJlLmNzDQAAAAIAAAD/////BFRhbmgAAAAAAQAAAAUAAAAEAVo3L3dvcmsvd3QtdGVhY2gvdGVzdHMvR3JhcGhEaWZmLlRlc3RzL0" +
        "5uL1RtcFYxRml4dHVyZS5jcw0AAAACAAAA/////whNdWx0aXBseQAAAAACAAAABgAAAAMAAAAEADcvd29yay93dC10ZWFjaC90ZXN0cy9HcmFw" +
        "aERpZmYuVGVzdHMvTm4vVG1wVjFGaXh0dXJlLmNzDgAAAAIAAAD/////BlNxdWFyZQAAAAABAAAABwAAAAMEaGFsZjcvd29yay93dC10ZWFjaC" +
        "90ZXN0cy9HcmFwaERpZmYuVGVzdHMvTm4vVG1wVjFGaXh0dXJlLmNzDgAAAAIAAAD/////AAAAAAAA4D8EADcvd29yay93dC10ZWFjaC90ZXN0" +
        "cy9HcmFwaERpZmYuVGVzdHMvTm4vVG1wVjFGaXh0dXJlLmNzDgAAAAIAAAD/////A0FkZAAAAAACAAAACAAAAAkAAAAEADcvd29yay93dC10ZW" +
        "FjaC90ZXN0cy9HcmFwaERpZmYuVGVzdHMvTm4vVG1wVjFGaXh0dXJlLmNzDgAAAAEAAAABAAAAA1N1bQAAAAABAAAACgAAAAIAAAALAAAABwAA" +
        "AAIAAAABAAAAAgAAAEJi3SJVPd0E5gTMDaUcXVLoLIJY5gtPck/wkdz8rS/5";

    private static Matrix<double> Random(Shape shape, int seed) => TestData.Matrix(new Random(seed), shape, TestData.Unit);

    /// <summary>Images (4, 4, 2, m) scaled by a per-pixel variable and a rank-3 constant, reshaped, flattened into a dense layer.</summary>
    private static (Node[] Outputs, Input X, Variable[] Variables) ImageGraph()
    {
        var x = Graph.Input("X", Shape.Of(4, 4, 2, Shape.Batch));
        var v = Graph.Variable("V", Shape.Of(4, 4, 2, 1), Random(Shape.Of(4, 4, 2, 1), 1));
        var c = Graph.Constant(Shape.Of(4, 4, 2), Random(Shape.Of(4, 4, 2), 2), "C");
        var half = Graph.Filled(Shape.Of(4, 4, 2, Shape.Batch), 0.5, "half");
        var w = Graph.Variable("W", Random(new Shape(3, 32), 3));
        var a = Op.Tanh(x * v + half).Named("A");
        var r = Op.Reshape(a, Shape.Of(16, 2, Shape.Batch)).Named("R");
        var z = Op.MatMul(w, Op.Flatten(r)).Named("Z");
        var cost = Op.Sum(Op.Square(z)) + Op.Sum(Op.Sum(c * 2.0));
        return ([cost, a, r], x, [v, w]);
    }

    /// <summary>
    /// Saves and loads the graph of <paramref name="outputs"/>; checks that every node reads back with its name, shape,
    /// operation and attributes, and that the loaded graph evaluates and differentiates bit for bit as the saved one
    /// for each batch size; returns the loaded outputs.
    /// </summary>
    private static IReadOnlyList<Node> AssertReadsBackAlike(Node[] outputs, Input x, Variable[] variables, int[] batchSizes)
    {
        using var dir = new TempDirectory();
        var path = dir.File("saved.graph");
        GraphFile.Save(outputs, path);
        var loaded = GraphFile.Load(path);
        var read = Graph.Order(loaded);
        static object Describe(Node n) => (n.Name, n.Shape.ToString(), n.Operation.Name, string.Join(",", n.Operation.Attributes.OrderBy(a => a.Key)));
        Assert.Equal(Graph.Order(outputs).Select(Describe), read.Select(Describe));
        var loadedX = read.OfType<Input>().Single();
        var loadedVariables = variables.Select(v => read.OfType<Variable>().Single(l => l.Name == v.Name)).ToArray();
        foreach (int m in batchSizes)
        {
            var data = Random(new Shape(x.Shape.Rows, m), 7);
            var want = outputs.Concat(Gradients.Of(outputs[0], variables)).ToArray().Evaluate(new Feed { { x, data } });
            var got = loaded.Concat(Gradients.Of(loaded[0], loadedVariables)).ToArray().Evaluate(new Feed { { loadedX, data } });
            Assert.Equal(want.Length, got.Length);
            for (int k = 0; k < want.Length; k++)
                Assert.True(want[k].Enumerate().SequenceEqual(got[k].Enumerate()), $"m = {m}: output {k} differs");
        }
        return loaded;
    }

    [Fact]
    public void ARankNGraphReadsBackWithEveryAxisAndEvaluatesAndDifferentiatesBitIdentically()
    {
        var (outputs, x, variables) = ImageGraph();
        var loaded = AssertReadsBackAlike(outputs, x, variables, [0, 1, 5]);
        Assert.Equal("4×4×2×m", loaded[1].Shape.ToString());
        Assert.Equal("16×2×m", loaded[2].Shape.ToString());
    }

    /// <summary>A small ConvNet: padded strided convolution with a bias, ReLU, max pooling, batch norm, average pooling, a dense layer.</summary>
    private static (Node[] Outputs, Input X, Variable[] Variables) ConvNet()
    {
        var x = Graph.Input("X", Shape.Of(9, 9, 2, Shape.Batch));
        var k = Graph.Variable("K", Shape.Of(3, 3, 2, 4), Random(Shape.Of(3, 3, 2, 4), 11));
        var b = Graph.Variable("b", Random(new Shape(4, 1), 12));
        var gamma = Graph.Variable("gamma", Random(new Shape(4, 1), 13));
        var beta = Graph.Variable("beta", Random(new Shape(4, 1), 14));
        var a = Op.ReLU(Op.Conv2D(x, k, b, stride: 2, padding: 1)).Named("A");               // 5×5×4×m
        var p = Op.BatchNorm(Op.MaxPool2D(a, 2, stride: 1), gamma, beta).Named("P");          // 4×4×4×m
        var q = Op.AvgPool2D(p, 3, stride: 2, padding: 1).Named("Q");                          // 2×2×4×m
        var w = Graph.Variable("W", Random(new Shape(3, 16), 15));
        var cost = Op.Sum(Op.Square(Op.MatMul(w, Op.Flatten(q))));
        return ([cost, a, p, q], x, [k, b, gamma, beta, w]);
    }

    [Fact]
    public void AConvNetReadsBackWithItsGeometryAndEvaluatesAndDifferentiatesBitIdentically()
    {
        var (outputs, x, variables) = ConvNet();
        var loaded = AssertReadsBackAlike(outputs, x, variables, [1, 4]);
        Assert.Equal(["5×5×4×m", "4×4×4×m", "2×2×4×m"], loaded.Skip(1).Select(n => n.Shape.ToString()));
        Assert.Equal("3×3×2×4", Graph.Order(loaded).OfType<Variable>().Single(v => v.Name == "K").Shape.ToString());
    }

    [Fact]
    public void AFoldedRankNConstantKeepsItsAxesAndSaves()
    {
        var c = Graph.Constant(Shape.Of(2, 3, 2), Random(Shape.Of(2, 3, 2), 4));
        var folded = Compiler.Compile([Op.Tanh(c)]).Outputs[0];
        Assert.IsType<Constant>(folded);
        Assert.Equal(Shape.Of(2, 3, 2), folded.Shape);
        using var dir = new TempDirectory();
        GraphFile.Save([folded], dir.File("c.graph"));
        Assert.Equal(Shape.Of(2, 3, 2), GraphFile.Load(dir.File("c.graph"))[0].Shape);
    }

    [Fact]
    public void AVersion1FileStillLoadsAndEvaluatesAsTheGraphItHolds()
    {
        using var dir = new TempDirectory();
        var path = dir.File("v1.graph");
        File.WriteAllBytes(path, Convert.FromBase64String(Version1File));
        var model = GraphFile.LoadModel(path);
        var x = model.Input("X");
        Assert.Equal(new Shape(3, Shape.Batch), x.Shape);
        Assert.Equal(["W", "b"], model.Parameters.Select(p => p.Name));
        // The same graph built today.
        var W = Graph.Variable("W", DenseMatrix.OfArray(new double[,] { { 0.5, -1, 2 }, { 0.25, 3, -0.75 } }));
        var b = Graph.Variable("b", DenseMatrix.OfArray(new double[,] { { 0.1 }, { -0.2 } }));
        var c = Graph.Constant(DenseMatrix.OfArray(new double[,] { { 1.5 }, { 2.5 } }), "c");
        var X = Graph.Input("X", 3);
        var z = Op.Tanh(Op.MatMul(W, X) + b) * c;
        var cost = Op.Sum(Op.Square(z) + Graph.Filled(new Shape(2, Shape.Batch), 0.5));
        var data = Random(new Shape(3, 4), 9);
        var want = new[] { cost, z }.Evaluate(new Feed { { X, data } });
        var got = new[] { model.Cost, model.Outputs[0] }.Evaluate(new Feed { { x, data } });
        Assert.Equal(want[0].Enumerate(), got[0].Enumerate());
        Assert.Equal(want[1].Enumerate(), got[1].Enumerate());
        Assert.Equal("Z", model.Outputs[0].Name);
    }

    [Theory]
    [InlineData(9, 0, "rank 9")]
    [InlineData(1, 0, "rank 1")]
    [InlineData(-3, 0, "rank -3")]
    [InlineData(4, 0, "axis 0 is 0")]
    [InlineData(4, 2, "batch dimension m may only be the last axis")]
    public void ACorruptRankOrDimensionIsRefusedNamingTheFileAndTheNode(int rank, int axis, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.graph");
        GraphFile.Save([Op.Sum(Op.Flatten(Graph.Input("X", Shape.Of(4, 4, 2, Shape.Batch))))], path);
        var payload = ChecksummedFile.Read(path, Magic, GraphFile.FormatVersion, "graph");
        int at = RankOffsetOfFirstNode(payload);
        Assert.Equal(4, BitConverter.ToInt32(payload, at));
        if (rank != 4) BitConverter.GetBytes(rank).CopyTo(payload, at);
        else BitConverter.GetBytes(axis == 0 ? 0 : Shape.Batch).CopyTo(payload, at + 4 + 4 * axis);
        ChecksummedFile.Write(path, Magic, GraphFile.FormatVersion, payload);
        var error = Assert.Throws<DataFormatException>(() => GraphFile.Load(path));
        Assert.Equal(path, error.Path);
        Assert.Contains("node 0 ('X')", error.Message);
        Assert.Contains(expected, error.Message);
    }

    /// <summary>Where the first node's rank is: after the model flag, the node count, its kind, name, file and line.</summary>
    private static int RankOffsetOfFirstNode(byte[] payload)
    {
        using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        reader.ReadBoolean();
        reader.ReadInt32();
        reader.ReadByte();
        reader.ReadString();
        reader.ReadString();
        reader.ReadInt32();
        return (int)reader.BaseStream.Position;
    }
}
