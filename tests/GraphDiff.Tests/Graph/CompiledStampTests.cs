namespace GraphDiff.Tests;

/// <summary>
/// Compiled nodes are stamped so that compiling them again (a plan of compiled gradients) skips the rules: the
/// result must be the same as without the stamp, and a rule added afterwards must still apply.
/// </summary>
public class CompiledStampTests
{
    private static readonly Elementwise Probe = new("StampProbe", (x, y) => x.CopyTo(y), derivative: (x, y) => Graph.Filled(x.Shape, 1.0));

    /// <summary>Rewrites StampProbe(x) to x: registered only by the test below, it touches no other graph.</summary>
    private sealed class RemoveProbe() : RewriteRule("RemoveStampProbe", "a probe is the identity", RewritePass.Simplification)
    {
        public override Node? Apply(Node node) => ReferenceEquals(node.Operation, Probe) ? node.Inputs[0] : null;
    }

    [Fact]
    public void RecompilingACompiledGraphChangesNothingAndReportsNothing()
    {
        var x = Graph.Variable("x", 2.0);
        var y = Op.Log(Op.Exp(x * 1.0 + 0.0)) * (3.0 * Op.Tanh(x));
        var first = Compiler.Compile(y);
        Assert.NotEmpty(first.Report);
        var second = Compiler.Compile(first.Outputs[0]);
        Assert.Same(first.Outputs[0], second.Outputs[0]);
        Assert.Empty(second.Report);
        // Under other options the stamp does not apply: the graph as written is compiled afresh.
        var asWritten = Compiler.Compile(y, new CompileOptions { Simplify = false });
        Assert.Equal("x * 1 + 0", asWritten.Outputs[0].Inputs[0].ToString());
    }

    [Fact]
    public void ARuleAddedAfterACompilationAppliesToItsStampedNodes()
    {
        var x = Graph.Variable("x", 2.0);
        var compiled = Compiler.Compile(Op.Tanh(Probe.Apply(x))).Outputs[0];
        Assert.Contains("StampProbe", compiled.ToString());
        Compiler.AddRule(new RemoveProbe());
        Assert.Equal("Tanh(x)", Compiler.Compile(compiled).Outputs[0].ToString());
    }
}
