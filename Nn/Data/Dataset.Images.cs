using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Nn;

// Images between GraphDiff's layout and the arrays learners bring. A batch of images (n_H, n_W, n_C, m) is stored as
// an (n_H·n_W·n_C) × m matrix, one image per column, pixels row after row and channels fastest: so the course's
// numpy array (m, n_H, n_W, n_C), read in its own (row-major) order, IS that matrix's column-major storage, and
// converting is a copy (or a view, for System.Numerics.Tensors) without reordering. PyTorch's (m, n_C, n_H, n_W)
// moves the channels first and needs a reordering.
public sealed partial record Dataset
{
    /// <summary>
    /// The course's images (m, n_H, n_W, n_C) as GraphDiff's (n_H·n_W·n_C) × m matrix of examples, which an input of
    /// shape <c>Shape.Of(n_H, n_W, n_C, Shape.Batch)</c> is fed (one image per column; a copy, nothing reordered).
    /// </summary>
    public static Matrix<double> FromImages(double[,,,] images)
    {
        ArgumentNullException.ThrowIfNull(images);
        int m = images.GetLength(0), rows = images.GetLength(1) * images.GetLength(2) * images.GetLength(3);
        var values = new double[images.Length];
        Buffer.BlockCopy(images, 0, values, 0, images.Length * sizeof(double));   // a multidimensional array's memory is row-major
        return DenseMatrix.OfColumnMajor(rows, m, values);
    }

    /// <summary>
    /// Images given as a <see cref="ReadOnlyTensorSpan{T}"/> (a <see cref="Tensor{T}"/>, or a flat array with its
    /// dimensions: <c>new ReadOnlyTensorSpan&lt;double&gt;(array, [m, 28, 28, 1])</c>) of dimensions (m, n_H, n_W, n_C),
    /// the course's, or with <paramref name="channelsFirst"/> PyTorch's (m, n_C, n_H, n_W), as the
    /// (n_H·n_W·n_C) × m matrix of examples. Any strides are read; the result is a new matrix.
    /// </summary>
    public static Matrix<double> FromImages(ReadOnlyTensorSpan<double> images, bool channelsFirst = false)
    {
        if (images.Rank != 4) throw new ArgumentException($"Images have 4 dimensions, (m, n_H, n_W, n_C) or with channelsFirst (m, n_C, n_H, n_W); got {images.Rank}.", nameof(images));
        var d = images.Lengths;
        int m = checked((int)d[0]), rows = checked((int)(d[1] * d[2] * d[3]));
        var flat = new double[checked(m * rows)];
        images.FlattenTo(flat);
        if (!channelsFirst) return DenseMatrix.OfColumnMajor(rows, m, flat);
        int c = (int)d[1], hw = (int)(d[2] * d[3]);
        var x = new double[flat.Length];
        for (int j = 0; j < m; j++)
            for (int ch = 0; ch < c; ch++)
                for (int p = 0; p < hw; p++)
                    x[j * rows + p * c + ch] = flat[j * rows + ch * hw + p];
        return DenseMatrix.OfColumnMajor(rows, m, x);
    }

    /// <summary>The examples <paramref name="x"/>, (n_H·n_W·n_C) × m, as the course's images (m, n_H, n_W, n_C) (a copy).</summary>
    public static double[,,,] ToImages(Matrix<double> x, int height, int width, int channels)
    {
        var values = Storage(x, height, width, channels);
        var images = new double[x.ColumnCount, height, width, channels];
        Buffer.BlockCopy(values, 0, images, 0, images.Length * sizeof(double));
        return images;
    }

    /// <summary>
    /// The examples <paramref name="x"/>, (n_H·n_W·n_C) × m, as a <see cref="Tensor{T}"/> of dimensions (m, n_H, n_W,
    /// n_C) over the same memory (no copy: writing one writes the other), or PyTorch's (m, n_C, n_H, n_W) with
    /// <paramref name="channelsFirst"/>, which is a reordered copy.
    /// </summary>
    public static Tensor<double> AsTensor(Matrix<double> x, int height, int width, int channels, bool channelsFirst = false)
    {
        var values = Storage(x, height, width, channels);
        int m = x.ColumnCount, rows = height * width * channels, hw = height * width;
        if (!channelsFirst) return System.Numerics.Tensors.Tensor.Create(values, [m, height, width, channels]);
        var nchw = new double[values.Length];
        for (int j = 0; j < m; j++)
            for (int ch = 0; ch < channels; ch++)
                for (int p = 0; p < hw; p++)
                    nchw[j * rows + ch * hw + p] = values[j * rows + p * channels + ch];
        return System.Numerics.Tensors.Tensor.Create(nchw, [m, channels, height, width]);
    }

    // The matrix's column-major values (its own array for a dense matrix), checked against the image sizes.
    private static double[] Storage(Matrix<double> x, int height, int width, int channels)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (height <= 0 || width <= 0 || channels <= 0 || (long)height * width * channels != x.RowCount)
            throw new ArgumentException($"Images of {height}×{width}×{channels} need {(long)height * width * channels} rows per example; the matrix is {x.RowCount}×{x.ColumnCount}.", nameof(x));
        return x is DenseMatrix dense ? dense.Values : x.ToColumnMajorArray();
    }
}
