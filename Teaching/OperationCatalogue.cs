using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace GraphDiff;

/// <summary>One builder of a catalogue: applied to symbolic operands, with its local derivatives.</summary>
/// <param name="Builder">How it is called, e.g. <c>Op.Tanh(z)</c>.</param>
/// <param name="Node">The node it built from symbolic variables (x, z, a, b, …, named after its parameters).</param>
/// <param name="Derivatives">For each operand, ∂J/∂operand given the upstream gradient g, simplified; null when no gradient flows.</param>
/// <param name="Summary">The first sentence of the builder's XML documentation, when the documentation file was found.</param>
internal sealed record OperationEntry(string Builder, Node Node, IReadOnlyList<(Variable Operand, Node? Gradient)> Derivatives, string? Summary);

/// <summary>
/// The derivative table of a library of operations, generated from the operations themselves: every public
/// static builder of <c>Node</c> operands is applied to symbolic variables, and each local derivative is the
/// graph its <c>Backward</c> builds for a symbolic upstream gradient g (e.g. <c>Op.Tanh(z)</c>:
/// <c>g * (1 - Tanh(z)²)</c>). The README's table is this catalogue, so the docs cannot drift from the code.
/// </summary>
internal static class OperationCatalogue
{
    /// <summary>Sample values for a builder's non-node parameters without defaults, by parameter name; others get 2.</summary>
    private static readonly Dictionary<string, double> Samples = new() { ["low"] = -1, ["high"] = 1, ["alpha"] = 0.01, ["exponent"] = 3 };

    /// <summary>
    /// Every public static method of <paramref name="builders"/> that returns a node from node operands (other
    /// parameters take their defaults, or a sample value), in name order; methods that cannot be applied to 3×4
    /// operands, nor to any built-in operation's sample shapes or a small image batch, are left out.
    /// </summary>
    public static IReadOnlyList<OperationEntry> Of(Type builders)
    {
        ArgumentNullException.ThrowIfNull(builders);
        var docs = Summaries(builders.Assembly);
        var entries = new List<OperationEntry>();
        foreach (var method in builders.GetMethods(BindingFlags.Public | BindingFlags.Static)
                     .Where(m => m.ReturnType == typeof(Node) && !m.IsSpecialName && m.GetParameters().Any(p => p.ParameterType == typeof(Node)))
                     .GroupBy(m => m.Name).Select(g => g.OrderBy(m => m.GetParameters().Length).First())
                     .OrderBy(m => m.Name, StringComparer.Ordinal))
            if (Apply(method) is { } entry)
                entries.Add(entry with { Summary = docs.GetValueOrDefault(method.Name) });
        return entries;
    }

    /// <summary>The catalogue as a Markdown table: builder, what it computes, and each operand's local derivative.</summary>
    public static string ToMarkdown(IReadOnlyList<OperationEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var sb = new StringBuilder();
        sb.AppendLine("| Builder | Computes | Local derivative for upstream g |");
        sb.AppendLine("|---|---|---|");
        foreach (var e in entries)
        {
            var derivatives = e.Derivatives.Select(d => $"∂/∂{d.Operand.Name}: {(d.Gradient is { } g ? $"`{g}`" : "none")}");
            sb.AppendLine($"| `{e.Builder}` | {Cell(e.Summary ?? e.Node.ToString())} | {Cell(string.Join("; ", derivatives))} |");
        }
        return sb.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");

    /// <summary>
    /// The operand shapes tried, in turn: 3×4 operands, then 3×4 and 4×3 (a product), then each built-in operation's
    /// declared sample shapes (a convolution's image and kernel, …), then a small image batch (5, 5, 2, 3), alone or
    /// with per-channel (2, 1) operands (a batch norm's γ and β), so that builders of rank-N operations are listed too.
    /// </summary>
    private static readonly Lazy<(Shape[] Shapes, bool RepeatLast)[]> Trials = new(() =>
        [([new Shape(3, 4)], true), ([new Shape(3, 4), new Shape(4, 3)], true),
         .. Op.Operations.Select(o => o.Info.SampleShapes).OfType<IReadOnlyList<Shape>>().Select(s => (s.ToArray(), false)),
         ([Shape.Of(5, 5, 2, 3)], false), ([Shape.Of(5, 5, 2, 3), new Shape(2, 1)], true)]);

    private static OperationEntry? Apply(MethodInfo method)
    {
        var parameters = method.GetParameters();
        foreach (var (shapes, repeatLast) in Trials.Value)
        {
            var operands = new List<Variable>();
            var arguments = parameters.Select(p =>
            {
                if (p.ParameterType == typeof(Node))
                {
                    // Operand k takes shape k; past the trial's end, the last again (rank 2) or its default (an optional bias).
                    int k = repeatLast ? Math.Min(operands.Count, shapes.Length - 1) : operands.Count;
                    if (k >= shapes.Length) return p.HasDefaultValue ? p.DefaultValue : null;
                    var v = Filled(p.Name!, shapes[k], 0.5);
                    operands.Add(v);
                    return (object?)v;
                }
                if (p.HasDefaultValue) return p.DefaultValue;
                if (p.ParameterType == typeof(double)) return Samples.GetValueOrDefault(p.Name!, 2.0);
                if (p.ParameterType == typeof(bool)) return false;
                if (p.ParameterType == typeof(int)) return (int)Samples.GetValueOrDefault(p.Name!, 2.0);   // a pooling window's size
                return null;
            }).ToArray();
            if (arguments.Zip(parameters).Any(a => a.First is null && !a.Second.HasDefaultValue)) continue;
            Node node;
            try { node = (Node)method.Invoke(null, arguments)!; }
            catch (TargetInvocationException e) when (e.InnerException is ShapeMismatchException or ArgumentException or NotSupportedException) { continue; }
            var g = Filled("g", node.Shape, 1.0);
            var raw = Gradients.Of(node, g, operands);
            var simplified = Compiler.Compile(raw.ToArray()).Outputs;
            var derivatives = operands.Select((v, k) => (v, Flows(simplified[k]) ? simplified[k] : null)).ToArray();
            string call = $"Op.{method.Name}({string.Join(", ", parameters.Where(p => p.ParameterType == typeof(Node) || !p.HasDefaultValue && p.ParameterType != typeof(string)).Select(p => p.Name))})";
            return new OperationEntry(call, node, derivatives, null);
        }
        return null;
    }

    /// <summary>A variable of <paramref name="shape"/> (m taken as 1) holding <paramref name="value"/> everywhere.</summary>
    private static Variable Filled(string name, Shape shape, double value)
    {
        var s = shape.HasBatch ? shape.Resolve(1) : shape;
        return Graph.Variable(name, s, MathNet.Numerics.LinearAlgebra.Double.DenseMatrix.Create(s.Rows, s.Columns, value), "", 0);
    }

    /// <summary>A gradient that is not a constant zero: some derivative flows.</summary>
    private static bool Flows(Node gradient) => gradient is not Constant { Fill: 0 };

    /// <summary>The first sentence of each method's summary in the assembly's XML documentation, by method name.</summary>
    private static Dictionary<string, string> Summaries(Assembly assembly)
    {
        var result = new Dictionary<string, string>();
        var path = string.IsNullOrEmpty(assembly.Location) ? "" : Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(path)) return result;
        foreach (var member in XDocument.Load(path).Descendants("member"))
        {
            var name = (string?)member.Attribute("name");
            if (name is null || !name.StartsWith("M:", StringComparison.Ordinal)) continue;
            var method = name[2..].Split('(')[0].Split('.')[^1];
            if (result.ContainsKey(method) || member.Element("summary") is not { } summary) continue;
            result[method] = FirstSentence(Text(summary));
        }
        return result;
    }

    private static string Text(XElement element)
    {
        var sb = new StringBuilder();
        foreach (var node in element.Nodes())
            sb.Append(node switch
            {
                XText t => t.Value,
                XElement { Name.LocalName: "see" } e => ((string?)e.Attribute("cref") ?? (string?)e.Attribute("langword") ?? "").Split('(')[0].Split('.')[^1],
                XElement { Name.LocalName: "paramref" } e => (string?)e.Attribute("name") ?? "",
                XElement e => Text(e),
                _ => "",
            });
        return Regex.Replace(sb.ToString(), @"\s+", " ").Trim();
    }

    private static string FirstSentence(string text)
    {
        int end = text.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? text : text[..(end + 1)];
    }
}
