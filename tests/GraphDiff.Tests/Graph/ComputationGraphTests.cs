using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

public class ComputationGraphTests
{
    [Fact]
    public void TheCoursesExampleGivesItsValuesAndDerivatives()
    {
        var a = Graph.Variable("a", 5);
        var b = Graph.Variable("b", 3);
        var c = Graph.Variable("c", 2);
        var u = b * c;
        var v = a + u;
        var J = 3 * v;

        var forward = new EvaluationPlan(u, v, J).Run();
        Assert.Equal(6, forward.Scalar(u));
        Assert.Equal(11, forward.Scalar(v));
        Assert.Equal(33, forward.Scalar(J));

        var grads = Gradients.Of(J, v, u, a, b, c);
        var values = new EvaluationPlan(grads).Run();
        Assert.Equal(3, values.Scalar(grads[v]));
        Assert.Equal(3, values.Scalar(grads[u]));
        Assert.Equal(3, values.Scalar(grads[a]));
        Assert.Equal(6, values.Scalar(grads[b]));
        Assert.Equal(9, values.Scalar(grads[c]));
    }

    [Fact]
    public void TheSameCodeWorksWhenTheVariablesAreMatrices()
    {
        // With matrices J is a matrix; its gradients are those of the sum of its elements (seed of ones).
        var a = Graph.Variable("a", DenseMatrix.OfArray(new[,] { { 5.0, 1 }, { 2, 0 } }));
        var b = Graph.Variable("b", DenseMatrix.OfArray(new[,] { { 3.0, -1 }, { 4, 2 } }));
        var c = Graph.Variable("c", DenseMatrix.OfArray(new[,] { { 2.0, 7 }, { 0.5, 3 } }));
        var J = 3 * (a + b * c);
        var grads = Gradients.Of(J, a, b, c);
        Assert.Equal(DenseMatrix.OfArray(new[,] { { 33.0, -18 }, { 12, 18 } }), J.Evaluate());
        Assert.Equal(DenseMatrix.Create(2, 2, 3.0), grads[a].Evaluate());
        Assert.Equal(3 * c.Value, grads[b].Evaluate());
        Assert.Equal(3 * b.Value, grads[c].Evaluate());
        Assert.True(GradientCheck.Run(Op.Sum(J), [a, b, c]).Passed);
    }

    [Fact]
    public void GradientsArePrintableNodes()
    {
        var b = Graph.Variable("b", 3);
        var c = Graph.Variable("c", 2);
        var J = 3 * (Graph.Variable("a", 5) + b * c);
        var grads = Gradients.Of(J, b, c);
        Assert.Equal("3 * c", grads[b].ToString());
        Assert.Equal("3 * b", grads[c].ToString());
    }

    [Fact]
    public void TheSecondDerivativeOfXCubedIsSixX()
    {
        var x = Graph.Variable("x", 1.7);
        var y = Op.Power(x, 3);
        var dy = Gradients.Of(y, x)[x];
        var d2y = Gradients.Of(dy, x)[x];
        Assert.Equal(3 * 1.7 * 1.7, dy.EvaluateScalar(), 12);
        Assert.Equal(6 * 1.7, d2y.EvaluateScalar(), 12);
        // The numbers of the chain rule's product are multiplied once, in front, as the README promises (2·(3·x) → 6·x),
        // even though the gradient is a named node (dx).
        Assert.Equal("3 * x²", dy.ToString());
        Assert.Equal("6 * x", d2y.ToString());
        Assert.Equal("dx", d2y.Name);

        x.Value[0, 0] = -2;
        Assert.Equal(-12, d2y.EvaluateScalar(), 12);
    }

    [Fact]
    public void AZeroDerivativePrintsAsZero()
    {
        // d³(x²)/dx³ printed "dx" (the zero's name), which a learner reads as "the third derivative is dx".
        var x = Graph.Variable("x", 2.0);
        var d1 = Gradients.Of(Op.Square(x), x)[x];
        var d2 = Gradients.Of(d1, x)[x];
        var d3 = Gradients.Of(d2, x)[x];
        Assert.Equal("2", d2.ToString());
        Assert.Equal("0", d3.ToString());
        Assert.Equal(0, d3.EvaluateScalar());
    }

    [Fact]
    public void TheSecondDerivativeOfACubeBuiltFromProductsIsSixX()
    {
        var x = Graph.Variable("x", 0.5);
        var y = x * x * x;
        var d2y = Gradients.Of(Gradients.Of(y, x)[x], x)[x];
        Assert.Equal(3.0, d2y.EvaluateScalar(), 12);
    }

    [Fact]
    public void ANodeUsedTwiceGetsBothContributions()
    {
        var x = Graph.Variable("x", 4);
        var grads = Gradients.Of(x * x, x);
        Assert.Equal(8, grads[x].EvaluateScalar());
    }

    [Fact]
    public void AVariableThatDoesNotReachTheOutputGetsAZeroGradientOfItsShape()
    {
        var x = Graph.Variable("x", 2);
        var unused = Graph.Variable("W", DenseMatrix.Create(3, 2, 1.0));
        var grads = Gradients.Of(Op.Square(x), x, unused);
        var zero = grads[unused].Evaluate();
        Assert.Equal(3, zero.RowCount);
        Assert.Equal(2, zero.ColumnCount);
        Assert.All(zero.Enumerate(), v => Assert.Equal(0.0, v));
        Assert.Equal(4, grads[x].EvaluateScalar());
    }

    [Fact]
    public void DifferentiatingAndEvaluatingTwiceGivesTheSameResult()
    {
        var w = Graph.Variable("w", DenseMatrix.OfArray(new[,] { { 0.3, -0.2 }, { 0.1, 0.5 } }));
        var X = Graph.Input("X", 2);
        var J = Op.Mean(Op.Square(Op.Tanh(Op.MatMul(w, X))));
        var feed = new Feed { { X, DenseMatrix.OfArray(new[,] { { 1.0, 2, 3 }, { -1, 0.5, 2 } }) } };

        var first = Gradients.Of(J, w)[w].Evaluate(feed);
        var second = Gradients.Of(J, w)[w].Evaluate(feed);
        Assert.Equal(first, second);

        var plan = new EvaluationPlan(Gradients.Of(J, w)[w], J);
        var run1 = plan.Run(feed)[plan.Outputs[0]].Clone();
        var run2 = plan.Run(feed)[plan.Outputs[0]].Clone();
        Assert.Equal(run1, run2);
        Assert.Equal(first, run1);
    }

    [Fact]
    public void DifferentiationOnlyVisitsNodesBetweenTheOutputAndTheRequestedNodes()
    {
        var x = Graph.Variable("x", 1.0);
        var side = Graph.Variable("side", 2.0);
        var sideBranch = Op.Exp(Op.Tanh(side));          // no path from x: must not be differentiated
        var J = Op.Square(x) + sideBranch;
        var dx = Gradients.Of(J, x)[x];
        var built = Graph.Order([dx]);
        Assert.DoesNotContain(built, n => ReferenceEquals(n, sideBranch) || n.Operation == Op.TanhOperation);
    }

    [Fact]
    public void AGradientWithRespectToAnIntermediateNodeIsAvailable()
    {
        var z = Graph.Variable("z", 0.3);
        var a = Op.Sigmoid(z);
        var J = Op.Square(a);
        var grads = Gradients.Of(J, a, z);
        double s = 1 / (1 + Math.Exp(-0.3));
        Assert.Equal(2 * s, grads[a].EvaluateScalar(), 12);
        Assert.Equal(2 * s * s * (1 - s), grads[z].EvaluateScalar(), 12);
    }

    [Fact]
    public void TheSigmoidDerivativeReusesTheForwardNode()
    {
        var z = Graph.Variable("z", 0.3);
        var a = Op.Sigmoid(z);
        var dz = Gradients.Of(Op.Sum(a), z)[z];
        Assert.Contains(Graph.Order([dz]), n => ReferenceEquals(n, a));
    }

    [Fact]
    public void ABiasBroadcastAcrossColumnsGetsItsGradientSummedBack()
    {
        var b = Graph.Variable("b", DenseMatrix.OfArray(new[,] { { 1.0 }, { 2.0 } }));
        var Z = Graph.Variable("Z", DenseMatrix.OfArray(new[,] { { 1.0, 2, 3 }, { 4, 5, 6 } }));
        var J = Op.Sum(Z + b);
        var db = Gradients.Of(J, b)[b].Evaluate();
        Assert.Equal(DenseMatrix.OfArray(new[,] { { 3.0 }, { 3.0 } }), db);
    }
}
