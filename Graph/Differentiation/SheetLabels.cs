namespace GraphDiff;

/// <summary>
/// The labels of a gradient sheet's results: each labelled by the node it differentiates, no label standing for
/// two different things. A result's label is the course's <c>dx</c>; when an intermediate of the sheet already
/// bears it (the course's <c>dZ1</c>, which leaves out the 1/m of a mean cost) and means something else, the result
/// is labelled as the derivative itself, <c>∂J/∂Z1</c>, and the sheet says which is which; two different nodes
/// of the same name are numbered by their place in the request.
/// </summary>
internal static class SheetLabels
{
    /// <summary>The label of each result, and the note to print when both conventions appear.</summary>
    public static (string[] Results, string? Note) For(IReadOnlyList<Node> wrt, IReadOnlyList<Node> gradients, IReadOnlyList<Node> intermediates, string derivativeOf)
    {
        // What each label already stands for: an intermediate gradient node, or the node a result differentiates.
        var intermediate = intermediates.ToDictionary(i => i.Name!, i => i);
        var result = new Dictionary<string, Node>();
        var labels = new string[wrt.Count];
        bool derivatives = false;
        for (int k = 0; k < wrt.Count; k++)
        {
            string x = wrt[k].Label;
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
