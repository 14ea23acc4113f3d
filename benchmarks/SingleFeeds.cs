using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff.Benchmarks;

/// <summary>What the float32 steps need besides their plan: data as a float loader would hold it, and the double parameters' update from float gradients.</summary>
internal static class SingleFeeds
{
    /// <summary>A float copy of a matrix, as a float data loader would feed it.</summary>
    public static GraphDiff.Tensors.Tensor<float> Narrow(Matrix<double> m)
    {
        var values = new float[m.RowCount * m.ColumnCount];
        TensorPrimitives.ConvertTruncating<double, float>(Tensor.Of(m).Span, values);
        return new GraphDiff.Tensors.Tensor<float>(values, m.RowCount, m.ColumnCount);
    }

    /// <summary>θ −= α·g with g a float gradient, widened through <paramref name="scratch"/> (what the trainer does: parameters stay double).</summary>
    public static void Update(Variable parameter, GraphDiff.Tensors.Tensor<float> gradient, double learningRate, double[] scratch)
    {
        var value = Tensor.Of(parameter.Value).Array;
        var g = scratch.AsSpan(0, value.Length);
        TensorPrimitives.ConvertTruncating<float, double>(gradient.Span, g);
        TensorPrimitives.MultiplyAdd(g, -learningRate, value, value);
    }
}
