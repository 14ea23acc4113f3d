using System.Collections;
using GraphDiff.Tensors;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff;

/// <summary>
/// The values given to a graph's inputs for one evaluation, by input node or by input name:
/// <c>new Feed { { X, xTrain }, { "Y", yTrain } }</c>. A value is a double matrix or a float tensor
/// (<see cref="Add(Input, Tensor{float})"/>, what a float32 plan reads without converting); a plan converts a value
/// fed in the other precision into a buffer of its own.
/// </summary>
public sealed class Feed : IEnumerable<KeyValuePair<string, Matrix<double>>>
{
    private readonly Dictionary<Input, Matrix<double>> byNode = new();
    private readonly Dictionary<string, Matrix<double>> byName = new(StringComparer.Ordinal);

    /// <summary>An empty feed, for graphs without inputs.</summary>
    public static Feed Empty => new();

    private readonly Dictionary<Input, Tensor<float>> singlesByNode = new();
    private readonly Dictionary<string, Tensor<float>> singlesByName = new(StringComparer.Ordinal);

    /// <summary>Feeds <paramref name="value"/> to <paramref name="input"/> (the matrix is read, not copied); it replaces any value fed to it before.</summary>
    public void Add(Input input, Matrix<double> value)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(value);
        singlesByNode.Remove(input);
        byNode[input] = value;
    }

    /// <summary>
    /// Feeds a float tensor to <paramref name="input"/> (read, not copied; rows × columns as a matrix would be, one
    /// column per example); it replaces any value fed to it before. A plan in <see cref="Precision.Single"/> reads it
    /// as it is, so float data never needs a double copy; a double plan widens it into a buffer of its own.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is a default (empty) tensor without storage.</exception>
    public void Add(Input input, Tensor<float> value)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (value.Array is null) throw new ArgumentException($"The tensor fed to '{input.Name}' is a default value without storage.", nameof(value));
        byNode.Remove(input);
        singlesByNode[input] = value;
    }

    /// <summary>Feeds a row-major array literal to <paramref name="input"/>.</summary>
    public void Add(Input input, double[,] value) => Add(input, DenseMatrix.OfArray(value));

    /// <summary>Feeds <paramref name="value"/> to the input named <paramref name="name"/>.</summary>
    public void Add(string name, Matrix<double> value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        singlesByName.Remove(name);
        byName[name] = value;
    }

    /// <summary>Feeds a float tensor to the input named <paramref name="name"/> (see <see cref="Add(Input, Tensor{float})"/>).</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is a default (empty) tensor without storage.</exception>
    public void Add(string name, Tensor<float> value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (value.Array is null) throw new ArgumentException($"The tensor fed to '{name}' is a default value without storage.", nameof(value));
        byName.Remove(name);
        singlesByName[name] = value;
    }

    /// <summary>A new feed holding the same values (not copied) by the same nodes and names, to add to without changing this one.</summary>
    public Feed Clone()
    {
        var copy = new Feed();
        foreach (var (input, value) in byNode) copy.byNode[input] = value;
        foreach (var (name, value) in byName) copy.byName[name] = value;
        foreach (var (input, value) in singlesByNode) copy.singlesByNode[input] = value;
        foreach (var (name, value) in singlesByName) copy.singlesByName[name] = value;
        return copy;
    }

    /// <summary>Sets or replaces the value fed to <paramref name="input"/>.</summary>
    public Matrix<double> this[Input input] { set => Add(input, value); }

    /// <summary>The float tensor fed to <paramref name="input"/>, when it was fed one: by node first, else by name, as <see cref="TryGet"/>.</summary>
    internal bool TryGetSingle(Input input, out Tensor<float> value)
    {
        value = default;
        if (byNode.ContainsKey(input)) return false;
        if (singlesByNode.TryGetValue(input, out value)) return true;
        return !byName.ContainsKey(input.Name) && singlesByName.TryGetValue(input.Name, out value);
    }

    /// <summary>The double value for <paramref name="input"/>: fed by node first, else by name (false when a float tensor was fed in its place).</summary>
    public bool TryGet(Input input, out Matrix<double> value) =>
        byNode.TryGetValue(input, out value!) || !singlesByNode.ContainsKey(input) && byName.TryGetValue(input.Name, out value!);

    /// <summary>The value for <paramref name="input"/> as a tensor over the matrix's own storage (a non-dense matrix is densified).</summary>
    internal bool TryGetTensor(Input input, out Tensor value)
    {
        bool found = TryGet(input, out var matrix);
        value = found ? Tensor.Of(matrix) : default;
        return found;
    }

    /// <summary>
    /// The number of examples m of the inputs fed by node that have the batch dimension, when they agree: what fixes m
    /// for outputs that have it without reading such an input (a seed of ones, 1×m).
    /// </summary>
    internal int? BatchSize()
    {
        int? m = null;
        foreach (var (input, rows, columns) in byNode.Select(p => (p.Key, p.Value.RowCount, p.Value.ColumnCount))
                     .Concat(singlesByNode.Select(p => (p.Key, p.Value.Rows, p.Value.Columns))))
        {
            var shape = input.Shape;
            int? fed = shape.Columns == Shape.Batch ? columns : shape.Rows == Shape.Batch ? rows : null;
            if (fed is null) continue;
            if (m is not null && m != fed) return null;
            m = fed;
        }
        return m;
    }

    /// <summary>The double values fed, by input name (float tensors are not listed).</summary>
    public IEnumerator<KeyValuePair<string, Matrix<double>>> GetEnumerator() =>
        byNode.Select(p => new KeyValuePair<string, Matrix<double>>(p.Key.Name, p.Value)).Concat(byName).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
