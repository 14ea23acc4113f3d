namespace GraphDiff.Nn;

/// <summary>The divergence guard's count of saturated wrong predictions, where the clipped cross-entropy's gradient vanishes.</summary>
internal static class SaturationWatch
{
    /// <summary>Examples whose predicted probability is clipped at the wrong class: ŷ ≤ ε for y = 1, ŷ ≥ 1 − ε for y = 0.</summary>
    public static long SaturatedWrong<T>(Tensor predicted, GraphDiff.Tensors.Tensor<T> labels) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var a = predicted.Span;
        var y = labels.Span;
        if (a.Length != y.Length) return 0;
        const double epsilon = 1e-15;
        long count = 0;
        for (int i = 0; i < a.Length; i++)
            if (a[i] <= epsilon && double.CreateTruncating(y[i]) >= 0.5 || a[i] >= 1 - epsilon && double.CreateTruncating(y[i]) <= 0.5) count++;
        return count;
    }
}
