namespace GraphDiff.Nn;

/// <summary>
/// A run's values as double, whatever the plan's precision: a double plan's own views, or a float plan's values
/// widened into buffers kept from run to run (so a training step allocates nothing once warm). The optimisers, the
/// running averages and the saturation watch read the gradients and statistics through it.
/// </summary>
internal sealed class WidenedValues(Precision precision)
{
    private readonly Dictionary<Node, double[]> buffers = new(ReferenceEqualityComparer.Instance);

    /// <summary><paramref name="node"/>'s value in <paramref name="run"/>; in a float plan, a widened copy valid until the next read of the same node.</summary>
    public Tensor Read(Evaluation run, Node node)
    {
        if (precision == Precision.Double) return run.Tensor(node);
        var value = run.TensorOf<float>(node);
        if (!buffers.TryGetValue(node, out var buffer) || buffer.Length < value.Length) buffers[node] = buffer = new double[value.Length];
        var wide = new Tensor(buffer, 0, value.Rows, value.Columns, Math.Max(value.Rows, 1));
        value.ConvertTo<double>(wide);
        return wide;
    }
}
