using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>
/// A plan computes 1/m · dZ·Aᵀ as one scaled product (the factor folded into the GEMM) rather than a product and
/// a second pass: the results must match the reference interpreter, the fold must happen where it may and only
/// there, and a NaN must still be reported at the node that made it.
/// </summary>
public class ScaledProductTests
{
    private static (Node[] Outputs, Input X, Input Y, Feed Feed) NetworkGradients(int m)
    {
        var random = new Random(4);
        var X = Graph.Input("X", 5);
        var Y = Graph.Input("Y", 1);
        var W1 = Graph.Variable("W1", DenseMatrix.Create(7, 5, (_, _) => random.NextDouble() - 0.5));
        var b1 = Graph.Variable("b1", DenseMatrix.Create(7, 1, (_, _) => random.NextDouble() - 0.5));
        var W2 = Graph.Variable("W2", DenseMatrix.Create(1, 7, (_, _) => random.NextDouble() - 0.5));
        var b2 = Graph.Variable("b2", DenseMatrix.Create(1, 1, (_, _) => random.NextDouble() - 0.5));
        var A1 = Op.Tanh(Op.MatMul(W1, X) + b1);
        var cost = Op.BinaryCrossEntropy(Op.Sigmoid(Op.MatMul(W2, A1) + b2), Y);
        var gradients = Gradients.Of(cost, W1, b1, W2, b2);
        var feed = new Feed
        {
            { X, DenseMatrix.Create(5, m, (_, _) => random.NextDouble() * 2 - 1) },
            { Y, DenseMatrix.Create(1, m, (_, j) => j % 2) },
        };
        return ([cost, .. gradients], X, Y, feed);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(5000)]
    public void FoldedScalarsGiveTheReferenceInterpretersValues(int m)
    {
        var (outputs, _, _, feed) = NetworkGradients(m);
        // Freed buffers poisoned with NaN: a product's operands must live until its reader runs it.
        var plan = new EvaluationPlan(outputs) { PoisonFreedBuffers = true };
        var reference = new EvaluationPlan(outputs) { ReuseBuffers = false, Fuse = false };
        var fast = plan.Run(feed);
        var slow = reference.Run(feed);
        Assert.True(plan.FoldedProducts >= 2, $"only {plan.FoldedProducts} products folded");   // dW1 and dW2 are 1/m · dZ·Aᵀ
        Assert.Equal(0, reference.FoldedProducts);
        AssertClose(outputs, fast, slow, 1e-14);
    }

    private static void AssertClose(Node[] outputs, Evaluation fast, Evaluation slow, double relative)
    {
        foreach (var output in outputs)
        {
            var a = fast[output];
            var b = slow[output];
            for (int j = 0; j < a.ColumnCount; j++)
                for (int i = 0; i < a.RowCount; i++)
                    Assert.True(Math.Abs(a[i, j] - b[i, j]) <= relative * (1 + Math.Abs(b[i, j])), $"{output.Label}[{i},{j}]: {a[i, j]} against {b[i, j]}");
        }
    }

    [Theory]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(5000)]
    public void AFloatPlanFoldsItsScalarsToo(int m)
    {
        var (outputs, _, _, feed) = NetworkGradients(m);
        var plan = new EvaluationPlan(outputs, Precision.Single) { PoisonFreedBuffers = true };
        var unfolded = new EvaluationPlan(outputs, Precision.Single) { ReuseBuffers = false, Fuse = false };
        var fast = plan.Run(feed);
        var slow = unfolded.Run(feed);
        Assert.True(plan.FoldedProducts >= 2, $"only {plan.FoldedProducts} products folded");
        Assert.Equal(0, unfolded.FoldedProducts);
        AssertClose(outputs, fast, slow, 1e-6);
    }

    [Fact]
    public void AFoldedProductsOperandsLiveUntilItsReaderRuns()
    {
        // A is read by the product alone, and the factor is computed after the product: without its lifetime
        // extended to the reader, A's buffer would be freed (and poisoned) before the product runs.
        var random = new Random(8);
        var V = Graph.Variable("V", DenseMatrix.Create(6, 5, (_, _) => random.NextDouble() - 0.5));
        var B = Graph.Variable("B", DenseMatrix.Create(5, 4, (_, _) => random.NextDouble() - 0.5));
        var U = Graph.Variable("U", DenseMatrix.Create(3, 3, (_, _) => random.NextDouble() - 0.5));
        var A = Op.Tanh(V);
        var P = Op.MatMul(A, B);
        var factor = Op.Sum(Op.Exp(U));
        var scaled = factor * P;
        var plan = new EvaluationPlan([scaled]) { PoisonFreedBuffers = true };
        var value = plan.Run()[scaled];
        Assert.Equal(1, plan.FoldedProducts);
        var expected = new EvaluationPlan([scaled]) { ReuseBuffers = false, Fuse = false }.Run()[scaled];
        for (int j = 0; j < 4; j++)
            for (int i = 0; i < 6; i++)
                Assert.Equal(expected[i, j], value[i, j], 13);
    }

    [Fact]
    public void AProductReadTwiceOrAskedForIsNotFolded()
    {
        var A = Graph.Variable("A", DenseMatrix.Create(3, 4, 0.5));
        var B = Graph.Variable("B", DenseMatrix.Create(4, 2, 0.25));
        var P = Op.MatMul(A, B);
        var twice = new EvaluationPlan([Op.Sum(2.0 * P + P)]);
        twice.Run();
        Assert.Equal(0, twice.FoldedProducts);
        var asked = new EvaluationPlan([3.0 * P, P]);
        var run = asked.Run();
        Assert.Equal(0, asked.FoldedProducts);
        Assert.Equal(0.5, run[P][0, 0], 15);
        Assert.Equal(1.5, run[asked.Outputs[0]][0, 0], 15);
        // Read once, by the scaling alone (the compiler moves a factor out of a sum, so the product is the output here).
        var scaled = 3.0 * P;
        var once = new EvaluationPlan([scaled]);
        Assert.Equal(1.5, once.Run()[scaled][1, 1], 15);
        Assert.Equal(1, once.FoldedProducts);
    }

    [Theory]
    [InlineData(Precision.Double, 1e300, 1e10)]
    [InlineData(Precision.Single, 1e30, 1e10)]
    public void AnOverflowInAFoldedProductIsReportedAtTheProduct(Precision precision, double a, double b)
    {
        var A = Graph.Variable("A", DenseMatrix.Create(2, 2, a));
        var B = Graph.Variable("B", DenseMatrix.Create(2, 2, b));
        var product = Op.MatMul(A, B).Named("AB");
        var plan = new EvaluationPlan([0.5 * product], precision);
        var e = Assert.Throws<NonFiniteValueException>(() => plan.Run());
        Assert.Equal(1, plan.FoldedProducts);
        Assert.Contains("AB", e.Message);
    }
}
