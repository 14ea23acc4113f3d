using GraphDiff.Tensors;

namespace GraphDiff.Tests;

/// <summary>
/// Test tensors: random values in a view with a gap before it and between its columns, the gaps holding NaN, so
/// that a kernel that reads outside the view gets NaN into its result and one that writes outside is caught.
/// </summary>
internal static class TensorViews
{
    public const int Before = 3;

    /// <summary>A rows×columns view of random values in [−2, 2), with <paramref name="gap"/> NaNs after each column.</summary>
    public static Tensor Random(Random random, int rows, int columns, int gap = 0)
    {
        int stride = rows + gap;
        var array = new double[Before + stride * columns + gap];
        Array.Fill(array, double.NaN);
        var view = new Tensor(array, Before, rows, columns, Math.Max(stride, rows));
        for (int j = 0; j < columns; j++)
            for (int i = 0; i < rows; i++) view[i, j] = random.NextDouble() * 4 - 2;
        return view;
    }

    /// <summary>Whether every element of the storage outside the view is still NaN.</summary>
    public static bool GapsUntouched(Tensor view)
    {
        var inside = new bool[view.Array.Length];
        for (int j = 0; j < view.Columns; j++)
            for (int i = 0; i < view.Rows; i++) inside[view.Offset + i + j * view.Stride] = true;
        for (int k = 0; k < inside.Length; k++)
            if (!inside[k] && !double.IsNaN(view.Array[k])) return false;
        return true;
    }
}
