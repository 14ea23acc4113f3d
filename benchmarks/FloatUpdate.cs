using System.Numerics.Tensors;

namespace GraphDiff.Benchmarks;

/// <summary>The float32 steps' update of double parameters from float gradients.</summary>
internal static class FloatUpdate
{
    /// <summary>θ −= α·g with g a float gradient, widened through <paramref name="scratch"/> (what the trainer does: parameters stay double).</summary>
    public static void Update(Variable parameter, GraphDiff.Tensors.Tensor<float> gradient, double learningRate, double[] scratch)
    {
        var value = Tensor.Of(parameter.Value).Array;
        var g = scratch.AsSpan(0, value.Length);
        TensorPrimitives.ConvertTruncating<float, double>(gradient.Span, g);
        TensorPrimitives.MultiplyAdd(g, -learningRate, value, value);
    }
}
