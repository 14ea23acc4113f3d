using System.Runtime.CompilerServices;

namespace GraphDiff.Tests;

/// <summary>Nodes built by C# operators record the user's line (looked up lazily from the symbols), also when read from many threads.</summary>
public class OperatorLocationTests
{
    private static int Here([CallerLineNumber] int line = 0) => line;

    [Fact]
    public void OperatorBuiltNodesNameTheLineThatBuiltThem()
    {
        var x = Graph.Variable("x", 1.0);
        Node s = x;
        int line = Here(); for (int k = 0; k < 50; k++) s = s * 1.5 + 0.5;
        var nodes = Graph.Order([s]).Where(n => !n.IsLeaf).ToArray();
        Assert.Equal(100, nodes.Length);
        var seen = new System.Collections.Concurrent.ConcurrentBag<SourceLocation>();
        Parallel.ForEach(nodes, n => seen.Add(n.Location));
        Assert.All(seen, l => Assert.Equal(("OperatorLocationTests.cs", line), (Path.GetFileName(l.File), l.Line)));
        Assert.Equal($"OperatorLocationTests.cs:{line}", nodes[0].Inputs[1].Location.ToString());   // the constant 1.5 too
    }

    [Fact]
    public void AShapeErrorFromAnOperatorNamesTheLinesOfItsOperands()
    {
        var a = Graph.Variable("a", new double[,] { { 1, 2 } });
        int line = Here(); var w = Graph.Variable("w", new double[,] { { 1, 2, 3 } }) * 2.0;
        var error = Assert.Throws<ShapeMismatchException>(() => a + w);
        Assert.Contains($"is 1×3 (OperatorLocationTests.cs:{line})", error.Message);
    }
}
