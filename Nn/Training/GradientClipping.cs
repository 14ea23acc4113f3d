namespace GraphDiff.Nn;

/// <summary>Gradient clipping by the norm over all gradients (TrainingOptions.ClipGradientNorm).</summary>
internal static class GradientClipping
{
    /// <summary>Scales every gradient by limit/‖g‖ when the norm over all of them exceeds the limit.</summary>
    public static void ClipByNorm(Tensor[] gradients, double limit)
    {
        double squares = 0;
        foreach (var g in gradients) squares += System.Numerics.Tensors.TensorPrimitives.SumOfSquares<double>(g.Span);
        double norm = Math.Sqrt(squares);
        if (norm <= limit) return;
        double scale = limit / norm;
        foreach (var g in gradients) System.Numerics.Tensors.TensorPrimitives.Multiply(g.Span, scale, g.Span);
    }
}
