using GraphDiff.Kernels;

namespace GraphDiff.Tensors;

// Sums over an axis.
public static partial class TensorMath
{
    /// <summary>
    /// Sums <paramref name="x"/> over an axis into <paramref name="destination"/>, keeping two dimensions (numpy's
    /// <c>keepdims=True</c>): <paramref name="axis"/> <c>null</c> sums everything into a 1×1; <c>0</c> sums down
    /// each column into a 1×columns row; <c>1</c> sums across each row into a rows×1 column (the course's
    /// <c>np.sum(dZ, axis=1, keepdims=True)</c> for db). A sum over no elements is 0.
    /// </summary>
    /// <remarks>
    /// Vectorised sums (<c>TensorPrimitives.Sum</c>) per column; row sums of short columns add a
    /// register of columns at a time. The order of summation differs from a left-to-right loop, so a result can
    /// differ from one by a few ulps relative to Σ|x|. <paramref name="destination"/> must not overlap <paramref name="x"/>.
    /// </remarks>
    /// <param name="x">The operand, any shape; a view is fine.</param>
    /// <param name="axis"><c>null</c> (all), 0 (down columns) or 1 (across rows).</param>
    /// <param name="destination">1×1, 1×columns or rows×1 as <paramref name="axis"/> says; overwritten.</param>
    /// <exception cref="ArgumentNullException">A tensor is <c>default</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="axis"/> is not null, 0 or 1.</exception>
    /// <exception cref="ArgumentException">The destination's shape is not the reduced shape (the message gives both shapes), or it overlaps <paramref name="x"/>.</exception>
    public static void Sum(Tensor x, int? axis, Tensor destination) => Sum<double>(x, axis, destination);

    /// <summary>
    /// The float form of <see cref="Sum(Tensor, int?, Tensor)"/>: the same sums, checks and messages, accumulated in
    /// float (a sum of n elements is within about n·2⁻²⁴·Σ|x| of the exact one, usually far closer).
    /// </summary>
    public static void Sum(Tensor<float> x, int? axis, Tensor<float> destination) => Sum<float>(x, axis, destination);

    private static void Sum<T>(Tensor<T> x, int? axis, Tensor<T> destination) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        RequireStorage(x, nameof(x));
        RequireStorage(destination, nameof(destination));
        var (rows, columns) = axis switch
        {
            null => (1, 1),
            0 => (1, x.Columns),
            1 => (x.Rows, 1),
            _ => throw new ArgumentOutOfRangeException(nameof(axis), $"TensorMath.Sum: axis must be 0 (down columns), 1 (across rows) or null (all), got {axis}."),
        };
        if (destination.Rows != rows || destination.Columns != columns)
            throw new ArgumentException(
                $"TensorMath.Sum: x is {x.Rows}×{x.Columns}, so its sum {(axis is null ? "" : $"over axis {axis} ")}is {rows}×{columns}, but the destination is {destination.Rows}×{destination.Columns}.", nameof(destination));
        if (Overlap(destination, x))
            throw new ArgumentException($"TensorMath.Sum: the {rows}×{columns} destination shares storage with x ({x.Rows}×{x.Columns}).", nameof(destination));
        Reductions.Sum(x, axis, destination);
    }
}
