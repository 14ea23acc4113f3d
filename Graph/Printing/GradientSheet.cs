using System.Text;

namespace GraphDiff;

/// <summary>
/// The gradient sheet, <see cref="GradientSet.ToString"/>: one definition a line, each result labelled by the node
/// it differentiates, no label standing for two different things. A result's label is the course's <c>dx</c>; when
/// an intermediate of the sheet already bears it (the course's <c>dZ1</c>, which leaves out the 1/m of a mean cost)
/// and means something else, the result is labelled as the derivative itself, <c>∂J/∂Z1</c>, and the sheet says
/// which is which; two different nodes of the same name are numbered by their place in the request.
/// </summary>
internal static class GradientSheet
{
    /// <summary>The sheet: shared intermediates in backprop order, each followed by the results it completes, then the rest.</summary>
    public static string Print(Node[] wrt, Node[] gradients, Node[] intermediates, string derivativeOf)
    {
        var sb = new StringBuilder();
        var labels = For(wrt, gradients, intermediates, derivativeOf);
        var defined = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var pending = Enumerable.Range(0, gradients.Length).ToList();
        var needs = gradients.Select(g => Graph.Order([g]).Where(intermediates.Contains).ToHashSet(ReferenceEqualityComparer.Instance)).ToArray();
        foreach (var step in intermediates)
        {
            Define(step.Name!, step);
            defined.Add(step);
            foreach (int k in pending.Where(k => needs[k].Contains(step) && needs[k].All(defined.Contains)).ToList())
            {
                // A result that is this intermediate under its own label (dZ1 asked for, and shared) is defined already.
                if (!ReferenceEquals(gradients[k], step) || labels.Results[k] != step.Name) Define(labels.Results[k], gradients[k]);
                pending.Remove(k);
            }
        }
        foreach (int k in pending) Define(labels.Results[k], gradients[k]);
        if (labels.Note is { } note) sb.AppendLine(note);
        return sb.ToString();

        // A constant is printed as its value, even named: a gradient that does not depend on its node is a named 0.
        void Define(string label, Node n) =>
            sb.Append(label).Append(" = ").AppendLine(n is Constant { Fill: not null } c ? NodeFormatter.FormatConstant(c).Text : n.ToString());
    }

    /// <summary>The label of each result, and the note to print when both conventions appear.</summary>
    private static (string[] Results, string? Note) For(IReadOnlyList<Node> wrt, IReadOnlyList<Node> gradients, IReadOnlyList<Node> intermediates, string derivativeOf)
    {
        // What each label already stands for: an intermediate gradient node, or the node a result differentiates.
        var intermediate = intermediates.ToDictionary(i => i.Name!, i => i);
        var result = new Dictionary<string, Node>();
        var labels = new string[wrt.Count];
        bool derivatives = false;
        for (int k = 0; k < wrt.Count; k++)
        {
            string x = NodeFormatter.Operand(wrt[k]).Within(FormattedOperand.Atom);   // d(a + b), not da + b
            string plain = derivativeOf == "J" ? $"d{x}" : $"d{derivativeOf}/d{x}", derivative = $"∂{derivativeOf}/∂{x}";
            bool clashes = intermediate.TryGetValue(plain, out var shared) && !ReferenceEquals(shared, gradients[k]);
            string label = clashes ? derivative : plain;
            derivatives |= clashes;
            if (result.TryGetValue(label, out var other) && !ReferenceEquals(other, wrt[k])) label = $"{label}#{k + 1}";
            result[label] = wrt[k];
            labels[k] = label;
        }
        string? note = derivatives
            ? $"(d· lines are the course's convention, m·∂{derivativeOf}/∂· for a mean cost: the scalar factor in front is left out; ∂{derivativeOf}/∂· lines are the derivatives themselves.)"
            : null;
        return (labels, note);
    }
}
