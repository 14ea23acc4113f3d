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
        Assert.Contains("dV = Reshape(Sum(", sheet);   // V broadcast over the examples: its gradient sums over them
        Assert.EndsWith(", 4×4×2×1)", sheet.Split('\n').Single(l => l.StartsWith("dV", StringComparison.Ordinal)).TrimEnd());
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
        Assert.Contains("Reshape(A, 32×m) = 32×3", text);   // flattened: now a matrix, and printed as one
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
