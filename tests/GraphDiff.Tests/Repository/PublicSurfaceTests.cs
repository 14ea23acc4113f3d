using System.Reflection;

namespace GraphDiff.Tests;

/// <summary>
/// The libraries' public surface stays small enough to learn: a budget of 90 public types across GraphDiff.Tensors,
/// .Graph, .Ops, .Teaching, .Nn, .Onnx and .Plots, counted as reflection sees them (<see cref="Assembly.GetExportedTypes"/>,
/// nested public types included, the compiler's extension containers, whose names hold '&lt;', left out). It was set
/// when the surface went from 107 types to 90 (issue #19): types users do not call became internal (schedule and
/// rewrite steps, the drawing behind the SVG, the operation catalogue behind the README's table, ledger lines, a
/// learner's quantities, the broadcasting rule, the mean-loss base), and small ones became members of existing types
/// (graph traversal and one-off evaluation on <c>Graph</c>, kinks and free scaling on <see cref="Operation"/>,
/// precedences on <see cref="FormattedOperand"/>, the ONNX element type as <c>OnnxOptions.Float32</c>). A new
/// public type first looks for an existing type to be a member of; raise the budget only with a reason.
/// Rank N (issue #20) raised it to 96: a network of layers other than dense ones (convolution, pooling, batch
/// normalisation) needs a way to name them, and images a way in and out.
/// </summary>
public class PublicSurfaceTests
{
    private const int Budget = 96;

    private static readonly string[] Libraries =
        ["GraphDiff.Tensors", "GraphDiff.Graph", "GraphDiff.Ops", "GraphDiff.Teaching", "GraphDiff.Nn", "GraphDiff.Onnx", "GraphDiff.Plots"];

    /// <summary>Every library's public types, by name, as a user of the built DLLs sees them.</summary>
    internal static IReadOnlyList<string> PublicTypes() =>
        Libraries.SelectMany(name => Assembly.Load(name).GetExportedTypes())
            .Select(t => t.FullName!)
            .Where(n => !n.Contains('<'))
            .Order(StringComparer.Ordinal)
            .ToList();

    [Fact]
    public void TheLibrariesStayWithinTheirPublicTypeBudget()
    {
        var types = PublicTypes();
        Assert.True(types.Count <= Budget,
            $"{types.Count} public types, over the budget of {Budget}; make internal what users do not call, or fold a small type into a member of an existing one:\n" +
            string.Join("\n", types));
    }

    [Fact]
    public void TheCountSeesEveryLibraryAndNestedTypes()
    {
        var types = PublicTypes();
        foreach (var library in new[] { "GraphDiff.Tensors.Tensor", "GraphDiff.Node", "GraphDiff.Op", "GraphDiff.GradientCheck", "GraphDiff.Nn.Network", "GraphDiff.Onnx.OnnxExport", "GraphDiff.Nn.Plots" })
            Assert.Contains(library, types);
        Assert.DoesNotContain(types, t => t.Contains('<'));
    }
}
