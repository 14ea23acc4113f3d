using System.Runtime.CompilerServices;
using GraphDiff.Kernels;

namespace GraphDiff.Tensors;

// Elementwise arithmetic with the library's broadcasting, over tensor views.
public static partial class TensorMath
{
    /// <summary>
    /// <c>destination = x + y</c>, elementwise with broadcasting: in each dimension an operand's size equals the
    /// destination's or is 1 and is repeated, so each of <paramref name="x"/> and <paramref name="y"/> is the full
    /// shape, a column (n×1, a bias across the m columns), a row (1×m) or a number (1×1). Exact (one rounding).
    /// </summary>
    /// <remarks>
    /// Contiguous operands of the destination's shape, and a number, take one vector pass; a short column across
    /// many columns is tiled so that one pass covers many columns; anything else goes column by column. The
    /// destination may be the very storage of an operand of its shape (in place), but must not overlap a
    /// broadcast operand.
    /// </remarks>
    /// <param name="x">The left operand.</param>
    /// <param name="y">The right operand.</param>
    /// <param name="destination">The broadcast shape of <paramref name="x"/> and <paramref name="y"/>; overwritten.</param>
    /// <exception cref="ArgumentNullException">A tensor is <c>default</c>.</exception>
    /// <exception cref="ArgumentException">The shapes do not broadcast, the destination is not their broadcast shape (the message gives all three), or the destination overlaps an operand other than exactly.</exception>
    public static void Add(Tensor x, Tensor y, Tensor destination) =>
        Broadcast.Apply<AddKernel>(x, y, Broadcastable(nameof(Add), x, y, destination));

    /// <summary><c>destination = x − y</c>, elementwise with broadcasting, as <see cref="Add(Tensor, Tensor, Tensor)"/> describes. Exact (one rounding).</summary>
    /// <param name="x">The left operand.</param>
    /// <param name="y">The right operand, subtracted.</param>
    /// <param name="destination">The broadcast shape of <paramref name="x"/> and <paramref name="y"/>; overwritten.</param>
    /// <inheritdoc cref="Add(Tensor, Tensor, Tensor)" path="/exception"/>
    public static void Subtract(Tensor x, Tensor y, Tensor destination) =>
        Broadcast.Apply<SubtractKernel>(x, y, Broadcastable(nameof(Subtract), x, y, destination));

    /// <summary><c>destination = x ∘ y</c> (the elementwise product), with broadcasting as <see cref="Add(Tensor, Tensor, Tensor)"/> describes. Exact (one rounding).</summary>
    /// <param name="x">The left operand.</param>
    /// <param name="y">The right operand.</param>
    /// <param name="destination">The broadcast shape of <paramref name="x"/> and <paramref name="y"/>; overwritten.</param>
    /// <inheritdoc cref="Add(Tensor, Tensor, Tensor)" path="/exception"/>
    public static void Multiply(Tensor x, Tensor y, Tensor destination) =>
        Broadcast.Apply<MultiplyKernel>(x, y, Broadcastable(nameof(Multiply), x, y, destination));

    /// <summary>
    /// <c>destination = x / y</c>, elementwise with broadcasting as <see cref="Add(Tensor, Tensor, Tensor)"/> describes. Exact (one
    /// rounding); division by 0 gives ±∞ or NaN as IEEE 754 says, and nothing is thrown for it.
    /// </summary>
    /// <param name="x">The dividend.</param>
    /// <param name="y">The divisor.</param>
    /// <param name="destination">The broadcast shape of <paramref name="x"/> and <paramref name="y"/>; overwritten.</param>
    /// <inheritdoc cref="Add(Tensor, Tensor, Tensor)" path="/exception"/>
    public static void Divide(Tensor x, Tensor y, Tensor destination) =>
        Broadcast.Apply<DivideKernel>(x, y, Broadcastable(nameof(Divide), x, y, destination));

    /// <summary>
    /// Copies <paramref name="x"/> into <paramref name="destination"/>, repeating it along its dimensions of size 1:
    /// a column across the columns, a row down the rows, a number everywhere (numpy's <c>broadcast_to</c>, copied).
    /// </summary>
    /// <param name="x">The full shape, a column (rows×1), a row (1×columns) or a number (1×1).</param>
    /// <param name="destination">Overwritten; it must not overlap <paramref name="x"/> unless it is the same view.</param>
    /// <exception cref="ArgumentNullException">A tensor is <c>default</c>.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> does not broadcast to the destination's shape, or they overlap other than exactly.</exception>
    public static void BroadcastTo(Tensor x, Tensor destination)
    {
        RequireStorage(x, nameof(x));
        RequireStorage(destination, nameof(destination));
        if (Broadcasts(x.Rows, destination.Rows) != destination.Rows || Broadcasts(x.Columns, destination.Columns) != destination.Columns)
            throw new ArgumentException(
                $"TensorMath.BroadcastTo: x is {x.Rows}×{x.Columns} and does not broadcast to the {destination.Rows}×{destination.Columns} destination " +
                "(each dimension of x must equal the destination's, or be 1).", nameof(destination));
        if (Overlap(destination, x) && !SameView(destination, x))
            throw new ArgumentException($"TensorMath.BroadcastTo: the {destination.Rows}×{destination.Columns} destination overlaps x.", nameof(destination));
        Broadcast.To(x, destination);
    }

    // Inlined and branch-light: a plan calls these for every 1×1 value of a scalar chain, where a call's checks
    // would cost as much as its arithmetic. The messages are built only on the way to a throw.
    /// <summary>The destination, once it is known to be the operands' broadcast shape and to overlap neither but in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Tensor Broadcastable(string operation, in Tensor x, in Tensor y, in Tensor destination)
    {
        int rows = destination.Rows, columns = destination.Columns;
        bool fits = x.Array is not null && y.Array is not null && destination.Array is not null
            && (x.Rows == rows || x.Rows == 1) && (y.Rows == rows || y.Rows == 1) && (x.Rows == rows || y.Rows == rows)
            && (x.Columns == columns || x.Columns == 1) && (y.Columns == columns || y.Columns == 1) && (x.Columns == columns || y.Columns == columns)
            && (!Overlap(destination, x) || SameView(destination, x)) && (!Overlap(destination, y) || SameView(destination, y));
        if (!fits) ThrowBroadcast<double>(operation, x, y, destination);
        return destination;
    }

    /// <summary>Throws the error that says why x and y do not broadcast to the destination (double and float alike).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBroadcast<T>(string operation, Tensor<T> x, Tensor<T> y, Tensor<T> destination) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        RequireStorage(x, nameof(x));
        RequireStorage(y, nameof(y));
        RequireStorage(destination, nameof(destination));
        int? rows = Broadcasts(x.Rows, y.Rows), columns = Broadcasts(x.Columns, y.Columns);
        if (rows is null || columns is null)
            throw new ArgumentException(
                $"TensorMath.{operation}: x is {x.Rows}×{x.Columns} and y is {y.Rows}×{y.Columns}; they do not broadcast " +
                "(in each dimension the sizes must be equal, or one of them 1).", nameof(y));
        if (destination.Rows != rows || destination.Columns != columns)
            throw new ArgumentException(
                $"TensorMath.{operation}: x is {x.Rows}×{x.Columns} and y is {y.Rows}×{y.Columns}, which broadcast to {rows}×{columns}, " +
                $"but the destination is {destination.Rows}×{destination.Columns}.", nameof(destination));
        throw new ArgumentException(
            $"TensorMath.{operation}: the {destination.Rows}×{destination.Columns} destination overlaps an operand; it may be an operand of its own shape (in place), or separate storage.", nameof(destination));
    }

    private static int? Broadcasts(int a, int b) => a == b ? a : a == 1 ? b : b == 1 ? a : null;
}
