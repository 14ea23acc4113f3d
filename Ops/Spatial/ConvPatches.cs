using System.Numerics.Tensors;

namespace GraphDiff;

/// <summary>
/// im2col and its adjoint col2im: the patches of a block of output positions as the columns of a matrix, each
/// column <see cref="ConvGeometry.PatchLength"/> long in the order (ky, kx, ci), which is the order of the kernel's
/// storage rows, so that the convolution of the block is one product kernelᵀ·columns.
/// </summary>
internal static class ConvPatches
{
    /// <summary>
    /// Writes the patches of columns q0 … q0+n−1 (q = e·Positions + p) of the input <paramref name="x"/> (all
    /// examples, contiguous) into <paramref name="columns"/>, column after column; padding reads as zero.
    /// </summary>
    public static void Gather(ConvGeometry g, Span<double> x, int q0, int n, Span<double> columns) => Walk(g, x, q0, n, columns, new Copy());

    /// <summary>
    /// The adjoint of <see cref="Gather"/>: adds each element of <paramref name="columns"/> (columns q0 … q0+n−1)
    /// into the input position it was read from, in column order, so overlapping patches add in one fixed order;
    /// the padding's share is dropped.
    /// </summary>
    public static void Scatter(ConvGeometry g, Span<double> columns, int q0, int n, Span<double> x) => Walk(g, x, q0, n, columns, new Add());

    /// <summary>A move between a run of the image and the same run of a patch column.</summary>
    private interface IMove
    {
        void Inside(Span<double> image, Span<double> patch);
        void Outside(Span<double> patch);
    }

    // Runs are short when channels are few (5 doubles for a 5×5 kernel on one channel): a plain loop then beats the
    // library calls' fixed cost.
    private const int ShortRun = 16;

    private readonly struct Copy : IMove
    {
        public void Inside(Span<double> image, Span<double> patch)
        {
            if (image.Length > ShortRun) { image.CopyTo(patch); return; }
            patch = patch[..image.Length];
            for (int i = 0; i < patch.Length; i++) patch[i] = image[i];
        }

        public void Outside(Span<double> patch) => patch.Clear();
    }

    private readonly struct Add : IMove
    {
        public void Inside(Span<double> image, Span<double> patch)
        {
            if (image.Length > ShortRun) { TensorPrimitives.Add(image, patch, image); return; }
            patch = patch[..image.Length];
            for (int i = 0; i < patch.Length; i++) image[i] += patch[i];
        }

        public void Outside(Span<double> patch) { }
    }

    /// <summary>Pairs every run of each patch with the input run it covers (or the padding), in column order.</summary>
    private static void Walk<T>(ConvGeometry g, Span<double> x, int q0, int n, Span<double> columns, T move) where T : struct, IMove
    {
        int length = g.PatchLength, row = g.FW * g.C, c = g.C, d = g.Dilation;
        for (int j = 0; j < n; j++)
        {
            int q = q0 + j, e = q / g.Positions, p = q - e * g.Positions, oy = p / g.OutW, ox = p - oy * g.OutW;
            int y0 = oy * g.Stride - g.Padding, x0 = ox * g.Stride - g.Padding;
            var image = x.Slice(e * g.InputRows, g.InputRows);
            var column = columns.Slice(j * length, length);
            for (int ky = 0; ky < g.FH; ky++)
            {
                int iy = y0 + ky * d;
                var patch = column.Slice(ky * row, row);
                if ((uint)iy >= (uint)g.H) { move.Outside(patch); continue; }
                int line = iy * g.W;
                // A kernel row inside the image with no dilation is one contiguous run of the input.
                if (d == 1 && x0 >= 0 && x0 + g.FW <= g.W) { move.Inside(image.Slice((line + x0) * c, row), patch); continue; }
                for (int kx = 0; kx < g.FW; kx++)
                {
                    int ix = x0 + kx * d;
                    if ((uint)ix >= (uint)g.W) move.Outside(patch.Slice(kx * c, c));
                    else move.Inside(image.Slice((line + ix) * c, c), patch.Slice(kx * c, c));
                }
            }
        }
    }
}
