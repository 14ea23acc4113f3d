namespace GraphDiff.Onnx;

/// <summary>
/// GraphDiff's storage of a value and ONNX's tensor of the same logical indices, one from the other. A value of
/// shape (d1, …, dk, c) is stored as the column-major Rows × Columns matrix (Rows = d1·…·dk, the leading axes
/// row-major within a column); ONNX holds the tensor of dims (d1, …, dk, c) row-major, element (i1, …, ik, j) at
/// r·c + j where r is the row-major index of (i1, …, ik), which is the storage's row r. So ONNX's data is the
/// storage matrix read row after row, whatever the rank.
/// </summary>
internal static class OnnxLayout
{
    /// <summary>The ONNX dims of <paramref name="shape"/>: its logical dimensions, the batch dimension as −1.</summary>
    public static long[] Dims(Shape shape) => [.. shape.Dimensions.Select(d => (long)d)];

    /// <summary>The ONNX data (row-major over the logical dims) of a value stored as <paramref name="storage"/>.</summary>
    public static double[] RowMajor(Tensor storage)
    {
        var result = new double[storage.Length];
        for (int i = 0; i < storage.Rows; i++)
            for (int j = 0; j < storage.Columns; j++)
                result[i * storage.Columns + j] = storage[i, j];
        return result;
    }

    /// <summary>The storage (<paramref name="rows"/> × <paramref name="columns"/>, column-major) of ONNX data <paramref name="rowMajor"/>.</summary>
    public static Tensor Storage(ReadOnlySpan<double> rowMajor, int rows, int columns)
    {
        if (rowMajor.Length != (long)rows * columns)
            throw new ArgumentException($"{rowMajor.Length} values do not fill {rows} × {columns}.", nameof(rowMajor));
        var storage = Tensor.Zeros(rows, columns);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                storage[i, j] = rowMajor[i * columns + j];
        return storage;
    }
}
