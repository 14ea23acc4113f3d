using System.Runtime.CompilerServices;

namespace GraphDiff.Tests;

/// <summary>
/// The README's "your own operation" example: softplus(x) = log(1 + eˣ), written as users would write it, is
/// differentiated, printed and gradient-checked like a built-in operation, in the compact form and as a class.
/// </summary>
public class CustomOperationTests
{
    // The README's compact form.
    static readonly Elementwise Softplus2 = new("Softplus",
        (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = Math.Max(x[i], 0) + Math.Log(1 + Math.Exp(-Math.Abs(x[i]))); },
        derivative: (x, y) => Op.Sigmoid(x));

    [Fact]
    public void ACompactElementwiseOperationWorksLikeABuiltInOne()
    {
        var x = Graph.Variable("x", MathNet.Numerics.LinearAlgebra.Double.DenseMatrix.OfArray(new[,] { { -2.0, 0.5, 3.0 } }));
        var J = Op.Sum(Softplus2.Apply(x));
        Assert.Equal("Sum(Softplus(x))", J.ToString());
        Assert.Equal(1 / (1 + Math.Exp(-0.5)), Gradients.Of(J, x)[x].Evaluate()[0, 1], 15);
        Assert.True(GradientCheck.Run(J, [x]).Passed);
        // The node names the user's line, as a built-in's does.
        Assert.Equal("CustomOperationTests.cs", Path.GetFileName(J.Inputs[0].Location.File));
    }

    /// <summary>y = log(1 + eˣ); dy/dx = σ(x).</summary>
    public sealed class Softplus : ElementwiseUnary
    {
        public override string Name => "Softplus";

        protected override void Forward(ReadOnlySpan<double> x, Span<double> y)
        {
            for (int i = 0; i < x.Length; i++) y[i] = Math.Max(x[i], 0) + Math.Log(1 + Math.Exp(-Math.Abs(x[i])));
        }

        public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [upstream * Op.Sigmoid(node.Inputs[0])];

        public static Node Of(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
            Node.Apply(new Softplus(), [x], file: file, line: line);
    }

    [Fact]
    public void AUserDefinedOperationWorksLikeABuiltInOne()
    {
        var x = Graph.Variable("x", MathNet.Numerics.LinearAlgebra.Double.DenseMatrix.OfArray(new[,] { { -2.0, 0.5, 3.0 } }));
        var J = Op.Sum(Softplus.Of(x));
        Assert.Equal("Sum(Softplus(x))", J.ToString());
        var dx = Gradients.Of(J, x)[x];
        Assert.Equal(1 / (1 + Math.Exp(-0.5)), dx.Evaluate()[0, 1], 15);
        Assert.True(GradientCheck.Run(J, [x]).Passed);
        Assert.True(GradientCheck.Run(Op.Sum(Gradients.Of(J, x)[x] * x), [x], options: new GradientCheckOptions { Threshold = 1e-6 }).Passed);
    }
}
