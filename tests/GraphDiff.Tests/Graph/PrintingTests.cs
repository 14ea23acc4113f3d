using System.Xml.Linq;
using GraphDiff.Nn;
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

    [Fact]
    public void PicturesPrintTheParenthesesTheFormulaNeeds()
    {
        // Reported: the backward picture of the 2-4-1 tanh network showed dZ1 = W2ᵀ·dZ2 * 1 - A1² in every format.
        var net = Network.Create([2, 4, 1], new NetworkOptions { Hidden = Activation.Tanh });
        const string dZ1 = "dZ1 = W2ᵀ·dZ2 * (1 - A1²)";
        Assert.Contains(dZ1, GraphPicture.ToMermaid(net.Cost, withBackward: true));
        Assert.Contains(dZ1, GraphPicture.ToDot(net.Cost, withBackward: true));
        var svg = XDocument.Parse(GraphSvg.Render(net.Cost, withBackward: true));
        Assert.Contains(dZ1, svg.Descendants(XNamespace.Get("http://www.w3.org/2000/svg") + "text").Select(t => t.Value));
    }

    [Fact]
    public void ANegativeNumberIsParenthesisedWhereItsSignWouldBindLoosely()
    {
        var minusOne = Graph.Constant(-1.0);
        Assert.Equal("(-1)²", Op.Square(minusOne).ToString());
        Assert.Equal("-(-1)", Op.Negate(minusOne).ToString());
        Assert.Equal("(-1)ᵀ", Op.Transpose(minusOne).ToString());
    }

    [Fact]
    public void AnOperandOfAMatrixProductInAShapeErrorKeepsItsParentheses()
    {
        var a = Graph.Variable("a", new DenseMatrix(2, 3));
        var b = Graph.Variable("b", new DenseMatrix(2, 3));
        var error = Assert.Throws<ShapeMismatchException>(() => Op.MatMul(a + b, true, a, true));
        Assert.Contains("(a + b)ᵀ", error.Message);
    }
}
