using System.Runtime.CompilerServices;

namespace GraphDiff.Tests;

/// <summary>
/// Differentiating and compiling long graphs (issue #22, cheap building): the forward graph is walked once and known
/// to the compiler without being copied, and operators read the user's frame at a known depth. Results are those of
/// the same graphs built small, or of the graph differentiated as written.
/// </summary>
public class LargeGraphBuildingTests
{
    private static int Here([CallerLineNumber] int line = 0) => line;

    private static (Variable X, Node S) Chain(int steps, double factor, double shift)
    {
        var x = Graph.Variable("x", 1.0);
        Node s = x;
        for (int k = 0; k < steps; k++) s = s * factor + shift;
        return (x, s);
    }

    /// <summary>
    /// A chain of tanh(J)·0.5 (a README trial's: 1,000 steps took 12 s to differentiate, 2,000 over a minute) gets its
    /// numbers multiplied once, in front, while the nodes the simplification builds stay in proportion to the chain:
    /// the rule that gathers numbers used to open every product below it, so each step rebuilt the whole chain. Counted
    /// by node ids, which grow with every node made, so the test measures work, not time.
    /// </summary>
    [Fact]
    public void ALongTanhChainsGradientIsSimplifiedInLinearWork()
    {
        const int steps = 600;
        var x = Graph.Variable("x", 0.5);
        Node j = x;
        for (int k = 0; k < steps; k++) j = Op.Tanh(j) * 0.5;
        long before = Graph.Constant(0.0).Id;
        var dx = Gradients.Of(j, x)[x];
        long made = Graph.Constant(0.0).Id - before;
        Assert.True(made < 60 * steps, $"differentiating {steps} steps made {made} nodes");
        Assert.Equal(Gradients.AsWritten(j, x)[x].EvaluateScalar(), dx.EvaluateScalar(), 12);
        // One number, in front: 0.5^600 (a subnormal-free 2.4e-181), not 600 factors of 0.5 through the product.
        Assert.StartsWith(Math.Pow(0.5, steps).ToString("R", System.Globalization.CultureInfo.InvariantCulture)[..6], dx.ToString());
        Assert.DoesNotContain("* 0.5 *", dx.ToString());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(3_000)]
    public void AChainsSimplifiedGradientIsItsWrittenGradient(int steps)
    {
        var (x, s) = Chain(steps, 1.0001, 0.5);
        double written = Gradients.AsWritten(s, x)[x].EvaluateScalar();
        double simplified = Gradients.Of(s, x)[x].EvaluateScalar();
        double product = 1;
        for (int k = 0; k < steps; k++) product *= 1.0001;
        Assert.Equal(product, written);
        Assert.Equal(written, simplified);
    }

    [Fact]
    public void ALongChainPrintsAsAShortOneDoes()
    {
        var (x3, s3) = Chain(3, 2.0, 0.5);
        var (xLong, sLong) = Chain(2_000, 1.0, 0.5);
        Assert.Equal("8", Gradients.Of(s3, x3)[x3].ToString());
        Assert.Equal("1", Gradients.Of(sLong, xLong)[xLong].ToString());
    }

    [Fact]
    public void AChainOfVariablesKeepsEveryFactor()
    {
        // Nothing folds: dx = Π w_k and dw_k = x · Π_{j≠k} w_j, against the graph differentiated as written.
        var x = Graph.Variable("x", 1.0);
        var w = Enumerable.Range(0, 1_500).Select(k => Graph.Variable($"w{k}", 1 + 0.001 * Math.Sin(k))).ToArray();
        Node s = x;
        foreach (var wk in w) s = s * wk + 0.25;
        Node[] wrt = [x, w[0], w[700], w[^1]];
        var simplified = Gradients.Of(s, wrt);
        var written = Gradients.AsWritten(s, wrt);
        foreach (var v in wrt)
            Assert.Equal(written[v].EvaluateScalar(), simplified[v].EvaluateScalar(), 12);
    }

    [Fact]
    public void AGradientReadsTheForwardNodeItselfWhenTheForwardGraphRepeatsAConstant()
    {
        // The two 3s are equal constants, so the compiler shares them; the forward σ above them is still the one
        // the gradient reads (dσ = σ(1 − σ) reuses it), not a copy built over the shared constant.
        var x = Graph.Variable("x", 0.5);
        var y = Op.Sigmoid((x + 3.0) * 3.0);
        var dx = Gradients.Of(y, x)[x];
        Assert.Contains(Graph.Order([dx]), n => ReferenceEquals(n, y));
        Assert.Equal(Gradients.AsWritten(y, x)[x].EvaluateScalar(), dx.EvaluateScalar(), 14);
    }

    [Fact]
    public void AnOperatorInALambdaOrALocalFunctionNamesItsOwnLine()
    {
        var a = Graph.Variable("a", 2.0);
        int lambdaLine = Here(); Func<Node, Node> twice = n => n * 2.0;
        Node Shifted(Node n)
        {
            int line = Here(); var r = 1.0 - n;
            Assert.Equal(line, r.Location.Line);
            return r;
        }
        Assert.Equal(lambdaLine, twice(a).Location.Line);
        Assert.Equal("LargeGraphBuildingTests.cs", Path.GetFileName(Shifted(a).Location.File));
        int line = Here(); var negated = -a; var quotient = a / a;
        Assert.Equal((line, line), (negated.Location.Line, quotient.Location.Line));
    }

    [Fact]
    public void AnOperatorReadsItsLineOnEveryThread()
    {
        var a = Graph.Variable("a", 2.0);
        int line = Here(); var built = Enumerable.Range(0, 64).AsParallel().Select(k => a * k + a).ToArray();
        Assert.All(built, n => Assert.Equal(line, n.Location.Line));
        Assert.All(built, n => Assert.Equal(line, n.Inputs[0].Location.Line));
    }
}
