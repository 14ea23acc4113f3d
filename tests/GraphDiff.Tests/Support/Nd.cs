using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>
/// A value of any rank in logical coordinates, for naive reference loops: element (i₁, …, i_k, j) of a value of
/// dimensions (d₁, …, d_k, c) is at storage row ((i₁·d₂ + i₂)·d₃ + …) of column j, as the storage rule says.
/// </summary>
internal sealed class Nd(int[] dims, Matrix<double> storage)
{
    public int[] Dims { get; } = dims;
    public Matrix<double> Storage { get; } = storage;

    public static Nd Zeros(params int[] dims) => new(dims, DenseMatrix.Create(Rows(dims), dims[^1], 0));

    public static Nd Random(Random random, params int[] dims) => new(dims, DenseMatrix.Create(Rows(dims), dims[^1], (_, _) => random.NextDouble() * 4 - 2));

    public static int Rows(int[] dims) => dims[..^1].Aggregate(1, (p, d) => p * d);

    public double this[int[] index]
    {
        get => Storage[Row(index), index[^1]];
        set => Storage[Row(index), index[^1]] = value;
    }

    private int Row(int[] index)
    {
        int row = 0;
        for (int a = 0; a < Dims.Length - 1; a++) row = row * Dims[a] + index[a];
        return row;
    }

    /// <summary>Every index of the dimensions, in row-major order (the last axis fastest).</summary>
    public static IEnumerable<int[]> Indices(int[] dims)
    {
        if (dims.Any(d => d == 0)) yield break;
        var index = new int[dims.Length];
        while (true)
        {
            yield return (int[])index.Clone();
            int a = dims.Length - 1;
            for (; a >= 0; a--)
            {
                if (++index[a] < dims[a]) break;
                index[a] = 0;
            }
            if (a < 0) yield break;
        }
    }

    /// <summary>A variable of these dimensions holding this value.</summary>
    public Variable Variable(string name) => Graph.Variable(name, Shape.Of(Dims), Storage.Clone());

    /// <summary>Asserts that a node's value (its storage matrix) equals this value within a tolerance.</summary>
    public void AssertEqual(Matrix<double> actual, double tolerance = 1e-12, string context = "")
    {
        Assert.Equal(Storage.RowCount, actual.RowCount);
        Assert.Equal(Storage.ColumnCount, actual.ColumnCount);
        foreach (var index in Indices(Dims))
            Assert.True(Math.Abs(this[index] - actual[Row(index), index[^1]]) <= tolerance,
                $"{context} at [{string.Join(", ", index)}]: expected {this[index]}, got {actual[Row(index), index[^1]]}");
    }
}
