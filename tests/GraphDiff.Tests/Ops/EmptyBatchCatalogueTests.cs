using System.Reflection;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Reliability;

/// <summary>
/// Every operation of <see cref="Op"/>, with its batch dimension m = 0 along each axis (examples as columns, and
/// as rows), forward and backward: the defined empty result, or a clear refusal that names the data as empty —
/// never an exception from inside the library. Operations are found by reflection, so a new one is covered.
/// </summary>
public class EmptyBatchCatalogueTests
{
    private const int M = Shape.Batch;

    /// <summary>Operand shapes tried, each at least once with m along the rows and along the columns, and an image.</summary>
    private static readonly Shape[] Candidates =
        [new(3, M), new(M, 3), new(M, 4), new(4, M), new(3, 1), new(1, M), new(M, 1), new(1, 1), new(3, 3), new(3, 4), new(4, 3),
         Shape.Of(3, 3, 1, M), Shape.Of(2, 2, 3, M), Shape.Of(1, 1, 1, 1)];   // images and a 1×1 kernel, for the operations on images

    private static readonly Dictionary<string, double> Samples = new() { ["low"] = -1, ["high"] = 1, ["alpha"] = 0.01, ["exponent"] = 3 };

    [Fact]
    public void EveryOperationOverAnEmptyBatchGivesTheDefinedResultOrSaysTheDataIsEmpty()
    {
        var builders = typeof(Op).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.ReturnType == typeof(Node) && !m.IsSpecialName && m.GetParameters().Any(p => p.ParameterType == typeof(Node)))
            .ToArray();
        Assert.True(builders.Length >= 20, $"only {builders.Length} builders found");
        var failures = new List<string>();
        var axesCovered = new Dictionary<string, HashSet<string>>();
        int cases = 0, refused = 0;
        foreach (var method in builders)
        {
            var parameters = method.GetParameters();
            int arity = parameters.Count(p => p.ParameterType == typeof(Node));
            foreach (var shapes in Combinations(arity))
            {
                if (!shapes.Any(s => s.HasBatch)) continue;
                int k = 0;
                var operands = new List<Node>();
                var arguments = parameters.Select(p =>
                {
                    if (p.ParameterType == typeof(Node))
                    {
                        var shape = shapes[k++];
                        Node operand = shape.HasBatch
                            ? Graph.Input($"{p.Name}{k}", shape)
                            : Graph.Variable($"{p.Name}{k}", shape, DenseMatrix.Create(shape.Rows, shape.Columns, 0.25));
                        operands.Add(operand);
                        return (object?)operand;
                    }
                    if (p.HasDefaultValue) return p.DefaultValue;
                    if (p.ParameterType == typeof(Shape)) return shapes[0];   // a reshape to the operand's own shape
                    if (p.ParameterType == typeof(double)) return Samples.GetValueOrDefault(p.Name!, 2.0);
                    // An axis argument names an axis that is not the batch axis (the batch axis is neither sliced nor padded).
                    int axis = shapes[0].Rows == M ? 1 : 0;
                    if (p.ParameterType == typeof(int)) return p.Name == "axis" ? axis : 1;
                    if (p.ParameterType == typeof(int[])) return p.Name == "axes" ? new[] { 0 } : axis == 0 ? new[] { 1, 0 } : new[] { 0, 1 };
                    if (p.ParameterType == typeof(bool)) return false;
                    return null;
                }).ToArray();
                Node node;
                try { node = (Node)method.Invoke(null, arguments)!; }
                catch (TargetInvocationException e) when (e.InnerException is ShapeMismatchException or ArgumentException) { continue; }
                cases++;
                foreach (var s in shapes.Where(s => s.HasBatch))
                    (axesCovered.TryGetValue(method.Name, out var set) ? set : axesCovered[method.Name] = []).Add(s.Rank > 2 ? "images" : s.Rows == M ? "rows" : "columns");
                string what = $"Op.{method.Name}({string.Join(", ", shapes)})";
                if (Check(node, operands, what) is { } failure) failures.Add(failure);
                else if (lastRefused) refused++;
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        // The batch dimension of an operand of rank 3 or more can only be its last axis (the columns).
        var uncovered = builders.Select(b => b.Name).Distinct()
            .Where(n => !axesCovered.TryGetValue(n, out var axes) || axes.Count < (axes.Contains("images") ? 1 : 2)).ToArray();
        Assert.True(uncovered.Length == 0, $"not run with m = 0 along both axes: {string.Join(", ", uncovered)}");
        Assert.True(cases > 100, $"only {cases} cases ran");
        Assert.True(refused < cases, "every case was refused");
    }

    [ThreadStatic] private static bool lastRefused;

    /// <summary>
    /// Evaluates the node and its gradients for every operand at m = 0: shapes resolve with m = 0, a non-empty
    /// value made from empty operands only is a sum of nothing (0), and a refusal is a
    /// <see cref="NonFiniteValueException"/> that says the data is empty.
    /// </summary>
    private static string? Check(Node node, List<Node> operands, string what)
    {
        lastRefused = false;
        var seed = Graph.Filled(node.Shape, 1.0);
        var gradients = Gradients.Of(node, seed, operands);
        var feed = new Feed();
        foreach (var input in operands.OfType<Input>()) feed.Add(input, new DenseMatrix(Math.Max(input.Shape.Rows, 0), Math.Max(input.Shape.Columns, 0)));
        Node[] outputs = [node, .. gradients.Where(g => g is not null)];
        Evaluation run;
        try { run = new EvaluationPlan(outputs).Run(feed); }
        catch (NonFiniteValueException e) when (e.Message.Contains("empty", StringComparison.Ordinal))
        {
            lastRefused = true;
            return null;
        }
        catch (Exception e) { return $"{what}: {e.GetType().Name}: {e.Message.Split('\n')[0]} {string.Join(" < ", e.StackTrace!.Split('\n').Take(4).Select(l => l.Trim()))}"; }
        foreach (var output in outputs)
        {
            var value = run[output];
            var want = output.Shape.Resolve(0);
            if (value.RowCount != want.Rows || value.ColumnCount != want.Columns)
                return $"{what}: {output.Label} is {value.RowCount}×{value.ColumnCount}, not {want}";
            if (value.RowCount * value.ColumnCount > 0 && DependsOnlyOnEmpty(output) && value.Enumerate().Any(x => x != 0))
                return $"{what}: {output.Label} is made from empty operands only, but is not 0 (a sum of nothing): {value.Enumerate().First(x => x != 0)}";
        }
        return null;
    }

    /// <summary>Whether every leaf the node reads that holds data is an empty input (constants and seeds aside).</summary>
    private static bool DependsOnlyOnEmpty(Node node) =>
        Graph.Order([node]).Where(n => n is Variable or Input).All(n => n is Input { Shape.HasBatch: true });

    // Operands after the third repeat its shape (batch normalisation's per-channel statistics beside γ and β), so
    // that five operands do not make 12⁵ cases.
    private static IEnumerable<Shape[]> Combinations(int arity) =>
        arity == 0 ? [[]]
        : arity > 3 ? Combinations(arity - 1).Select(rest => (Shape[])[.. rest, rest[2]])
        : Combinations(arity - 1).SelectMany(rest => Candidates.Select(c => (Shape[])[.. rest, c]));
}
