using System.Text.RegularExpressions;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>
/// The teaching tools on a graph of images (4, 4, 2, m): shapes print with every axis, values as their shapes rather
/// than the matrices they are stored as, element positions with an index on every axis, and nothing throws.
/// </summary>
public class RankNTeachingTests
{
    // Squares its operand but claims the derivative 3x.
    private static readonly Elementwise WrongSquare = new("WrongSquare", (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = x[i] * x[i]; },
        derivative: (x, y) => 3.0 * x);

    private sealed record Images(Input X, Variable V, Variable W, Node A, Node Cost, Feed Feed);

    /// <summary>A = tanh(X ⊙ V + 0.1), per-pixel weights V (4, 4, 2, 1), then a dense layer on the flattened A; m = 3.</summary>
    private static Images Build(Func<Node, Node>? activation = null)
    {
        var random = new Random(5);
        var x = Graph.Input("X", Shape.Of(4, 4, 2, Shape.Batch));
        var v = Graph.Variable("V", Shape.Of(4, 4, 2, 1), TestData.Matrix(random, Shape.Of(4, 4, 2, 1), TestData.Unit));
        var w = Graph.Variable("W", TestData.Matrix(random, new Shape(1, 32), TestData.Unit));
        var a = (activation ?? (z => Op.Tanh(z)))(x * v + 0.1).Named("A");
        var cost = Op.Sum(Op.Sigmoid(Op.MatMul(w, Op.Flatten(a)))).Named("J");
        return new Images(x, v, w, a, cost, new Feed { { x, TestData.Matrix(random, new Shape(32, 3), TestData.Unit) } });
    }

    [Fact]
    public void FormulasAndTheGradientSheetPrintEveryAxis()
    {
        var g = Build();
        Assert.Contains("4×4×2×m", NodeFormatter.Listing(g.Cost));
        Assert.Contains("4×4×2×1", NodeFormatter.Listing(g.Cost));
        var sheet = Gradients.Of(g.Cost, g.V, g.W).ToString();
        // V broadcast over the examples: its gradient sums over them, along the batch axis, keeping V's axes.
        var dV = sheet.Split('\n').Single(l => l.StartsWith("dV", StringComparison.Ordinal)).TrimEnd();
        Assert.StartsWith("dV = Sum(", dV);
        Assert.Contains("axes: [3]", dV);
    }

    [Fact]
    public void TheLedgerShowsValuesWithTheirShapesNotTheirStorage()
    {
        var g = Build();
        var ledger = Backprop.Explain(g.Cost, g.Feed);
        string text = ledger.ToString();
        Assert.Contains("A = ", text);
        Assert.Single(ledger.Forward, l => l.Name == "A" && l.Value.StartsWith("4×4×2×3, ‖·‖ = ", StringComparison.Ordinal));
        Assert.Single(ledger.Backward, l => l.Name == "dJ/dV" && l.Value.StartsWith("4×4×2×1, ‖·‖ = ", StringComparison.Ordinal));
        Assert.Contains("Flatten(A) = 32×3", text);   // flattened: now a matrix, and printed as one
        Assert.Contains("dJ/dV", ledger.ToMarkdown());
    }

    [Fact]
    public void PicturesAndTheStepperDrawAGraphOfImages()
    {
        var g = Build();
        var dot = GraphPicture.ToDot(g.Cost, g.Feed, withBackward: true);
        Assert.Contains("4×4×2×m", dot);
        Assert.Contains("= 4×4×2×3", dot);
        Assert.Contains("4×4×2×m", GraphPicture.ToMermaid(g.Cost));
        var svg = GraphSvg.Render(g.Cost, g.Feed, withBackward: true);
        Assert.Contains("4&#215;4&#215;2&#215;m", svg);
        Assert.Contains("= 4&#215;4&#215;2&#215;3", BackpropStepper.Html(g.Cost, g.Feed));
    }

    [Fact]
    public void AGradientCheckBlamesAWrongDerivativeAtAnIndexOnEveryAxis()
    {
        var g = Build(z => WrongSquare.Apply(z));
        var report = GradientCheck.Run(g.Cost, [g.V, g.W], g.Feed);
        Assert.False(report.Passed);
        var culprit = Assert.IsType<Culprit>(report.Culprit);
        Assert.Equal("WrongSquare", culprit.Node.Operation.Name);
        Assert.Matches(@"f′\(x\) at x = \(X \* V \+ 0\.1\)\[\d, \d, \d, \d\] = ", culprit.ToString());
        Assert.Matches(@"worst element: V\[\d, \d, \d, 0\]", report.ToString());
        var right = Build();
        Assert.True(GradientCheck.Run(right.Cost, [right.V, right.W], right.Feed).Passed);
    }

    [Fact]
    public void ALearnersGradientOfAKernelIsComparedAtAnIndexOnEveryAxis()
    {
        var g = Build();
        var right = Gradients.Of(g.Cost, g.V)[0].Evaluate(g.Feed);
        var wrong = right.Clone();
        wrong[(1 * 4 + 2) * 2 + 1, 0] += 1;
        var check = LearnerGradients.Check(g.Cost, g.Feed, new Dictionary<string, MathNet.Numerics.LinearAlgebra.Matrix<double>> { ["dV"] = wrong });
        Assert.Equal("dV", check.FirstWrong?.Name);
        Assert.Contains("first wrong: [1, 2, 1, 0]", check.ToString());
        var shaped = LearnerGradients.Check(g.Cost, g.Feed, new Dictionary<string, MathNet.Numerics.LinearAlgebra.Matrix<double>> { ["dV"] = DenseMatrix.Create(4, 8, 0.0) });
        Assert.Contains("4×8, expected 4×4×2×1 (stored as 32×1)", shaped.ToString());
    }

    [Fact]
    public void TheLedgerOfAConvolutionReadsTheKernelGradientAsASumOverPositions()
    {
        var x = Graph.Input("X", Shape.Of(3, 3, 1, Shape.Batch));
        var k = Graph.Variable("K", Shape.Of(2, 2, 1, 1), DenseMatrix.OfColumnMajor(4, 1, [1.0, 2, 3, 4]));
        var cost = Op.Sum(Op.Conv2D(x, k).Named("Z")).Named("J");
        var ledger = Backprop.Explain(cost, new Feed { { x, DenseMatrix.OfColumnMajor(9, 1, [1.0, 2, 3, 4, 5, 6, 7, 8, 9]) } });
        Assert.Contains("Z = Conv2D(X, K) = 2×2×1×1, ‖·‖ = 118.3, [37, 47, 67, …]", ledger.ToString());
        var dK = ledger.Backward.Single(l => l.Name == "dJ/dK");
        Assert.Equal("Conv2DKernelGradient(X, dJ/dZ) = Σ over examples and positions (h, w) of dJ/dZ[h, w, o] · X[h + ky, w + kx, c]", dK.Formula);
        Assert.StartsWith("2×2×1×1, ‖·‖ = 41.95, [12, 16, 24, …]", dK.Value);
        // K[0, 0] meets X[0, 0], X[0, 1], X[1, 0], X[1, 1]: 1 + 2 + 4 + 5, each times dJ/dZ = 1.
        Assert.Equal("dJ/dK[0, 0, 0, 0] = 1·1 + 1·2 + 1·4 + 1·5 = 12", ledger.Backward.Single(l => l.Name == "dJ/dK[0, 0, 0, 0]").ToString());
    }

    [Fact]
    public void ThePaddedStridedKernelGradientNamesItsGeometryAndSkipsThePadding()
    {
        var x = Graph.Input("X", Shape.Of(4, 4, 1, Shape.Batch));
        var k = Graph.Variable("K", Shape.Of(3, 3, 1, 1), DenseMatrix.Create(9, 1, 1.0));
        var cost = Op.Sum(Op.Conv2D(x, k, stride: 2, padding: 1).Named("Z"));
        var pixels = DenseMatrix.Create(16, 2, (i, j) => i + 1 + 100 * j);
        var ledger = Backprop.Explain(cost, new Feed { { x, pixels } });
        Assert.Contains("X[2·h + ky − 1, 2·w + kx − 1, c]", ledger.Backward.Single(l => l.Name == "dJ/dK").Formula);
        // K[0, 0] at stride 2, padding 1: only the output (1, 1) reads a pixel, X[1, 1] (6, then 106 in the second example).
        Assert.Equal("dJ/dK[0, 0, 0, 0] = 1·6 + 1·106 = 112", ledger.Backward.Single(l => l.Name == "dJ/dK[0, 0, 0, 0]").ToString());
    }

    [Fact]
    public void TheCatalogueListsTheImageOperations()
    {
        var builders = OperationCatalogue.Of(typeof(Op)).Select(e => e.Builder).ToArray();
        Assert.Contains("Op.Conv2D(x, kernel, bias)", builders);
        Assert.Contains("Op.MaxPool2D(x, size)", builders);
        Assert.Contains("Op.AvgPool2D(x, size)", builders);
        Assert.Contains("Op.BatchNorm(x, gamma, beta)", builders);
    }

    /// <summary>Builders that only take images, as a convolution's do.</summary>
    public static class ImageBuilders
    {
        /// <summary>Each example's pixels doubled, for images (n_H, n_W, n_C, m) only.</summary>
        public static Node DoubledImage(Node image) =>
            image.Shape.Rank == 4 ? Op.Flatten(2.0 * image) : throw new ArgumentException($"an image (n_H, n_W, n_C, m), not {image.Shape}");
    }

    [Fact]
    public void TheCatalogueAppliesABuilderOfImagesToAnImage()
    {
        var entry = Assert.Single(OperationCatalogue.Of(typeof(ImageBuilders)));
        Assert.Equal("Op.DoubledImage(image)", entry.Builder);
        Assert.Equal(4, entry.Derivatives.Single().Operand.Shape.Rank);
        Assert.NotNull(entry.Derivatives.Single().Gradient);
    }
}
