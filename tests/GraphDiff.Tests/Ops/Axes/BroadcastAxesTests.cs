using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Ops.Axes;

/// <summary>Broadcasting along leading axes of any rank (a per-channel bias across images), and its gradient summed back once.</summary>
public class BroadcastAxesTests
{
    [Theory]
    [InlineData(2, 3, 2, 3)]
    [InlineData(1, 1, 1, 1)]
    [InlineData(3, 1, 4, 2)]
    [InlineData(1, 2, 1, 5)]
    public void APerChannelBiasAddsAcrossImagesAndItsGradientIsSummedBack(int h, int w, int c, int m)
    {
        var random = new Random(h * 1000 + w * 100 + c * 10 + m);
        var z = Nd.Random(random, h, w, c, m);
        var b = Nd.Random(random, c, 1);
        Variable Z = z.Variable("Z"), B = b.Variable("b");
        var sum = Z + B;
        Assert.Equal(Shape.Of(h, w, c, m), sum.Shape);
        var expected = Nd.Zeros(h, w, c, m);
        foreach (var i in Nd.Indices(expected.Dims)) expected[i] = z[i] + b[[i[2], 0]];
        expected.AssertEqual(sum.Value());
        GradientAssert.Agrees(GradientAssert.WeightedSum(sum, 1), [Z, B], "Z + b");
        // db is ∂J/∂(Z + b) summed over (n_H, n_W, m) once: one sum node, no chain of partial sums.
        var db = Gradients.Of(Op.Sum(sum), [B])[0];
        Assert.Single(Graph.Order([db]), n => n.Operation is ReduceOperation);
    }

    [Fact]
    public void APerChannelScaleAndShiftOverABatchInputMatchesTheNaiveLoopAndFiniteDifferences()
    {
        var random = new Random(7);
        var x = Nd.Random(random, 2, 3, 4, 5);
        var gamma = Nd.Random(random, 4, 1);
        var beta = Nd.Random(random, 4, 1);
        Variable G = gamma.Variable("γ"), B = beta.Variable("β");
        var X = Graph.Input("X", Shape.Of(2, 3, 4, Shape.Batch));
        var y = G * X + B;
        Assert.Equal(Shape.Of(2, 3, 4, Shape.Batch), y.Shape);
        var feed = new Feed { [X] = x.Storage };
        var expected = Nd.Zeros(2, 3, 4, 5);
        foreach (var i in Nd.Indices(expected.Dims)) expected[i] = gamma[[i[2], 0]] * x[i] + beta[[i[2], 0]];
        expected.AssertEqual(y.Value(feed));
        GradientAssert.Agrees(Op.Sum(Op.Square(Op.Tanh(y))), [G, B], "γ·X + β", feed);
        // Over an empty batch: an empty result, and gradients of the parameters 0 (sums of nothing).
        var empty = new Feed { [X] = DenseMatrix.Create(24, 0, 0) };
        Assert.Equal(0, y.Value(empty).ColumnCount);
        var grads = Gradients.Of(Op.Sum(y), [G, B]);
        Assert.All(grads, g => Assert.All(g.Value(empty).Enumerate(), v => Assert.Equal(0, v)));
    }

    [Fact]
    public void BroadcastToOfAnyRankRepeatsAlongEverySize1AxisAndMissingLeadingAxis()
    {
        var random = new Random(3);
        var x = Nd.Random(random, 3, 1, 2);
        var like = Graph.Variable("like", Shape.Of(2, 3, 4, 2), DenseMatrix.Create(24, 2, 0));
        var X = x.Variable("x");
        var y = Op.BroadcastTo(X, like);
        Assert.Equal(like.Shape, y.Shape);
        var expected = Nd.Zeros(2, 3, 4, 2);
        foreach (var i in Nd.Indices(expected.Dims)) expected[i] = x[[i[1], 0, i[3]]];
        expected.AssertEqual(y.Value());
        GradientAssert.Agrees(GradientAssert.WeightedSum(y, 3), [X], "BroadcastTo");
        var second = Gradients.Of(Op.Sum(Op.Square(Gradients.Of(Op.Sum(Op.Square(y)), [X])[0])), [X])[0];
        // J = Σ y² gives ∂J/∂x = 2·8·x (8 copies); Σ (16x)² differentiates to 2·256·x.
        var doubled = x.Storage * 512;
        Assert.True((second.Value() - doubled).Enumerate().All(v => Math.Abs(v) < 1e-9));
    }

    [Fact]
    public void ShapesThatDoNotBroadcastAreRefusedNamingTheAxis()
    {
        var z = Graph.Input("Z", Shape.Of(4, 4, 3, Shape.Batch));
        var b = Graph.Variable("b", DenseMatrix.Create(2, 1, 0));
        var error = Assert.Throws<ShapeMismatchException>(() => z + b);
        Assert.Contains("axis 2", error.Message);
        Assert.Contains("b", error.Message);
    }
}
