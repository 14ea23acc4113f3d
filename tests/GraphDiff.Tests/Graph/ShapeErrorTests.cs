using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>Each shape rule rejects operands that do not fit, naming them, their shapes and where they were built.</summary>
public class ShapeErrorTests
{
    private static Variable V(string name, int rows, int columns) => Graph.Variable(name, new DenseMatrix(rows, columns));

    [Fact]
    public void MatMulNamesBothOperandsTheirShapesLinesAndTheRule()
    {
        var W1 = V("W1", 4, 3);
        var X = Graph.Input("X", 2, 400);
        var error = Assert.Throws<ShapeMismatchException>(() => Op.MatMul(W1, X));
        Assert.Contains("MatMul(W1, X)", error.Message);
        Assert.Contains("W1 is 4×3 (ShapeErrorTests.cs:", error.Message);
        Assert.Contains("X is 2×400 (ShapeErrorTests.cs:", error.Message);
        Assert.Contains("inner dimensions 3 and 2 must be equal", error.Message);
        Assert.DoesNotContain("transposed fits", error.Message);   // neither transpose fits 4×3 and 2×400
        // The commonest slip, A·B meant as A·Bᵀ (or Aᵀ·B): the call that fits is named.
        var A = V("A", 2, 400);
        var B = V("B", 4, 400);
        Assert.Contains("B transposed fits: Op.MatMul(A, false, B, true)", Assert.Throws<ShapeMismatchException>(() => Op.MatMul(A, B)).Message);
        var C = V("C", 3, 5);
        var D = V("D", 3, 7);
        Assert.Contains("C transposed fits: Op.MatMul(C, true, D, false)", Assert.Throws<ShapeMismatchException>(() => Op.MatMul(C, D)).Message);
    }

    [Fact]
    public void MatMulWithATransposeNamesTheTransposedShape()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => Op.MatMul(Op.Transpose(V("W", 4, 3)), V("dZ", 3, 5)));
        Assert.Contains("Wᵀ is 3×4", error.Message);
        Assert.Contains("dZ is 3×5", error.Message);
    }

    [Theory]
    [InlineData("Add")]
    [InlineData("Subtract")]
    [InlineData("Multiply")]
    [InlineData("Divide")]
    public void ElementwiseOperandsMustBroadcast(string operation)
    {
        var a = V("A", 4, 3);
        var b = V("B", 2, 3);
        Func<Node> build = operation switch
        {
            "Add" => () => a + b,
            "Subtract" => () => a - b,
            "Multiply" => () => a * b,
            _ => () => a / b,
        };
        var error = Assert.Throws<ShapeMismatchException>(build);
        Assert.Contains($"{operation}(A, B)", error.Message);
        Assert.Contains("A is 4×3", error.Message);
        Assert.Contains("B is 2×3", error.Message);
        Assert.Contains("ShapeErrorTests.cs:", error.Message);
        Assert.Contains("broadcast", error.Message);
    }

    [Fact]
    public void ABiasOfTheWrongHeightIsRefused()
    {
        var Z = Op.MatMul(V("W", 4, 3), Graph.Input("X", 3));
        var error = Assert.Throws<ShapeMismatchException>(() => Z + V("b", 3, 1));
        Assert.Contains("is 4×m", error.Message);
        Assert.Contains("b is 3×1", error.Message);
    }

    [Theory]
    [InlineData("BinaryCrossEntropy")]
    [InlineData("BinaryCrossEntropyWithLogits")]
    [InlineData("SoftmaxCrossEntropy")]
    [InlineData("L1Loss")]
    [InlineData("L2Loss")]
    public void LossesNeedPredictionsAndLabelsOfOneShape(string loss)
    {
        var a = V("A", 1, 5);
        var y = V("Y", 5, 1);
        Func<Node> build = loss switch
        {
            "BinaryCrossEntropy" => () => Op.BinaryCrossEntropy(a, y),
            "BinaryCrossEntropyWithLogits" => () => Op.BinaryCrossEntropyWithLogits(a, y),
            "SoftmaxCrossEntropy" => () => Op.SoftmaxCrossEntropy(a, y),
            "L1Loss" => () => Op.L1Loss(a, y),
            _ => () => Op.L2Loss(a, y),
        };
        var error = Assert.Throws<ShapeMismatchException>(build);
        Assert.Contains($"{loss}(A, Y)", error.Message);
        Assert.Contains("A is 1×5", error.Message);
        Assert.Contains("Y is 5×1", error.Message);
    }

    [Fact]
    public void BroadcastToRefusesATargetItCannotReach()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => Op.BroadcastTo(V("x", 2, 1), V("like", 3, 4)));
        Assert.Contains("x is 2×1", error.Message);
        Assert.Contains("like is 3×4", error.Message);
    }

    [Fact]
    public void AGradientCheckNeedsAScalarCost()
    {
        var W = V("W", 2, 2);
        var error = Assert.Throws<ArgumentException>(() => GradientCheck.Run(Op.Tanh(W), [W]));
        Assert.Contains("2×2", error.Message);
        Assert.Contains("scalar", error.Message);
    }

    [Fact]
    public void BadParametersAreRefusedWithTheNodeNamed()
    {
        var x = V("x", 2, 2);
        Assert.Contains("x", Assert.Throws<ArgumentOutOfRangeException>(() => Op.LeakyReLU(x, 1.5)).Message);
        Assert.Contains("x", Assert.Throws<ArgumentOutOfRangeException>(() => Op.Sum(x, axis: 2)).Message);
        Assert.Contains("x", Assert.Throws<ArgumentOutOfRangeException>(() => Op.Clip(x, 1, 0)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Graph.Input("X", -2));
    }

    [Fact]
    public void AVariableRefusesAValueOfAnotherShape()
    {
        var W = V("W", 2, 3);
        var error = Assert.Throws<ArgumentException>(() => W.Value = new DenseMatrix(3, 2));
        Assert.Contains("'W' is 2×3", error.Message);
    }
}

public class SeedShapeTests
{
    [Fact]
    public void AnExplicitSeedMustHaveTheOutputsShape()
    {
        var W = Graph.Variable("W", new DenseMatrix(2, 3));
        var seed = Graph.Constant(new DenseMatrix(3, 2), "seed");
        var error = Assert.Throws<ShapeMismatchException>(() => Gradients.Of(Op.Tanh(W), seed, [W]));
        Assert.Contains("seed is 3×2", error.Message);
        Assert.Contains("2×3", error.Message);
    }

    [Fact]
    public void AnExplicitSeedGivesTheVectorJacobianProduct()
    {
        var W = Graph.Variable("W", DenseMatrix.OfArray(new[,] { { 1.0, 2.0 } }));
        var seed = Graph.Constant(DenseMatrix.OfArray(new[,] { { 3.0, 5.0 } }), "seed");
        var vjp = Gradients.Of(Op.Square(W), seed, [W])[W].Evaluate();
        Assert.Equal(DenseMatrix.OfArray(new[,] { { 6.0, 20.0 } }), vjp);
    }
}
