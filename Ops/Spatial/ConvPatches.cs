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
    public static void Gather(ConvGeometry g, ReadOnlySpan<double> x, int q0, int n, Span<double> columns)
    {
        int length = g.PatchLength, row = g.FW * g.C, c = g.C, d = g.Dilation;
        for (int j = 0; j < n; j++)
        {
            var (image, y0, x0) = Origin(g, q0 + j);
            var source = x.Slice(image, g.InputRows);
            var column = columns.Slice(j * length, length);
            for (int ky = 0; ky < g.FH; ky++)
            {
                int iy = y0 + ky * d;
                var target = column.Slice(ky * row, row);
                if ((uint)iy >= (uint)g.H) { target.Clear(); continue; }
                int line = iy * g.W;
                // A kernel row inside the image with no dilation is one contiguous run of the input.
                if (d == 1 && x0 >= 0 && x0 + g.FW <= g.W) { source.Slice((line + x0) * c, row).CopyTo(target); continue; }
                for (int kx = 0; kx < g.FW; kx++)
                {
                    int ix = x0 + kx * d;
                    var cell = target.Slice(kx * c, c);
                    if ((uint)ix >= (uint)g.W) cell.Clear();
                    else source.Slice((line + ix) * c, c).CopyTo(cell);
                }
            }
        }
    }

    /// <summary>
    /// The adjoint of <see cref="Gather"/>: adds each element of <paramref name="columns"/> (columns q0 … q0+n−1)
    /// into the input position it was read from, in column order, so overlapping patches add in one fixed order;
    /// the padding's share is dropped.
    /// </summary>
    public static void Scatter(ConvGeometry g, ReadOnlySpan<double> columns, int q0, int n, Span<double> x)
    {
        int length = g.PatchLength, row = g.FW * g.C, c = g.C, d = g.Dilation;
        for (int j = 0; j < n; j++)
        {
            var (image, y0, x0) = Origin(g, q0 + j);
            var target = x.Slice(image, g.InputRows);
            var column = columns.Slice(j * length, length);
            for (int ky = 0; ky < g.FH; ky++)
            {
                int iy = y0 + ky * d;
                if ((uint)iy >= (uint)g.H) continue;
                int line = iy * g.W;
                var source = column.Slice(ky * row, row);
                if (d == 1 && x0 >= 0 && x0 + g.FW <= g.W) { AddTo(source, target.Slice((line + x0) * c, row)); continue; }
                for (int kx = 0; kx < g.FW; kx++)
                {
                    int ix = x0 + kx * d;
                    if ((uint)ix < (uint)g.W) AddTo(source.Slice(kx * c, c), target.Slice((line + ix) * c, c));
                }
            }
        }
    }

    private static void AddTo(ReadOnlySpan<double> source, Span<double> target) => TensorPrimitives.Add(target, source, target);

    /// <summary>Column q's example offset in storage and the top-left input position of its patch (may be in the padding).</summary>
    private static (int Image, int Y0, int X0) Origin(ConvGeometry g, int q)
    {
        int e = q / g.Positions, p = q - e * g.Positions, oy = p / g.OutW, ox = p - oy * g.OutW;
        return (e * g.InputRows, oy * g.Stride - g.Padding, ox * g.Stride - g.Padding);
    }
}
