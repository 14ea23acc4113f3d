using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

public class PrintingTests
{
    [Fact]
    public void ExpressionsPrintWithTheParenthesesTheyNeed()
    {
        var a = Graph.Variable("a", 5);
        var b = Graph.Variable("b", 3);
        var c = Graph.Variable("c", 2);
        Assert.Equal("3 * (a + b * c)", (3 * (a + b * c)).ToString());
        Assert.Equal("a - (b - c)", (a - (b - c)).ToString());
        Assert.Equal("a - b - c", (a - b - c).ToString());
        Assert.Equal("Tanh(a / b)", Op.Tanh(a / b).ToString());
    }

    [Fact]
    public void BackwardProductsPrintTheirTransposes()
    {
        var W = Graph.Variable("W", new DenseMatrix(3, 2));
        var X = Graph.Input("X", 2);
        var Z = Op.MatMul(W, X);
        var J = Op.Sum(Z);
        Assert.Equal("W·X", Z.ToString());
        var dW = Gradients.Of(J, W)[W];
        Assert.Contains("·Xᵀ", dW.ToString());
        Assert.Equal(new Shape(3, 2), dW.Shape);
    }

    [Fact]
    public void TheListingShowsEveryNodeWithShapeAndLine()
    {
        var W = Graph.Variable("W", new DenseMatrix(3, 2));
        var X = Graph.Input("X", 2);
        var A = Op.Tanh(Op.MatMul(W, X)).Named("A");
        var listing = NodeFormatter.Listing(A);
        Assert.Contains("A ", listing);
        Assert.Contains("3×m", listing);
        Assert.Contains("PrintingTests.cs:", listing);
    }
}
