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
/// <remarks>
/// A value is read where it lies, not copied, and a plan checks it for NaN and ∞ when it first reads it from an entry,
/// not at every run. <b>Values changed in place</b> (a buffer refilled with the next batch): set the entry again
/// (<c>feed[x] = sameMatrix</c>) so that it is checked again. Otherwise the new values are read unchecked: a NaN among
/// them is reported only where a computed value turns non-finite (an operation that keeps finite values finite, like
/// ReLU, passes it on).
/// </remarks>
public sealed class Feed : IEnumerable<KeyValuePair<string, Matrix<double>>>
{
    // Per input node and per name: a double or float value, and the stamp (unique in the process) of the Add that set it.
    private readonly Dictionary<Input, Fed> byNode = new();
    private readonly Dictionary<string, Fed> byName = new(StringComparer.Ordinal);
    private static long stamps;

    private static Fed Entry(Matrix<double>? matrix, Tensor<float> tensor) => new(matrix, tensor, Interlocked.Increment(ref stamps));

    /// <summary>An empty feed, for graphs without inputs.</summary>
    public static Feed Empty => new();

    /// <summary>Feeds <paramref name="value"/> to <paramref name="input"/> (read, not copied), replacing any value fed to it before; set it again after changing its values in place.</summary>
    public void Add(Input input, Matrix<double> value)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(value);
        byNode[input] = Entry(value, default);
    }

    /// <summary>
    /// Feeds a float tensor to <paramref name="input"/> (read, not copied; rows × columns as a matrix would be, one
    /// column per example); it replaces any value fed to it before. A plan in <see cref="Precision.Single"/> reads it
    /// as it is, so float data never needs a double copy; a double plan widens it into a buffer of its own. Add it again
    /// after changing its values in place, so that a plan checks them again.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is a default (empty) tensor without storage.</exception>
    public void Add(Input input, Tensor<float> value)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (value.Array is null) throw new ArgumentException($"The tensor fed to '{input.Name}' is a default value without storage.", nameof(value));
        byNode[input] = Entry(null, value);
    }

    /// <summary>Feeds a row-major array literal to <paramref name="input"/>.</summary>
    public void Add(Input input, double[,] value) => Add(input, DenseMatrix.OfArray(value));

    /// <summary>Feeds <paramref name="value"/> to the input named <paramref name="name"/>.</summary>
    public void Add(string name, Matrix<double> value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        byName[name] = Entry(value, default);
    }

    /// <summary>Feeds a float tensor to the input named <paramref name="name"/> (see <see cref="Add(Input, Tensor{float})"/>).</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is a default (empty) tensor without storage.</exception>
    public void Add(string name, Tensor<float> value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (value.Array is null) throw new ArgumentException($"The tensor fed to '{name}' is a default value without storage.", nameof(value));
        byName[name] = Entry(null, value);
    }

    /// <summary>A new feed holding the same values (not copied) by the same nodes and names, to add to without changing this one.</summary>
    public Feed Clone()
    {
        var copy = new Feed();
        foreach (var (input, entry) in byNode) copy.byNode[input] = entry;
        foreach (var (name, entry) in byName) copy.byName[name] = entry;
        return copy;
    }

    /// <summary>Sets or replaces the value fed to <paramref name="input"/>: setting the same matrix again after changing its values in place has plans check it again.</summary>
    public Matrix<double> this[Input input] { set => Add(input, value); }

    /// <summary>What <paramref name="input"/> is fed (by node first, else by name), with the stamp of the <c>Add</c> that set it.</summary>
    internal bool TryGetFed(Input input, out Fed fed) => byNode.TryGetValue(input, out fed) || byName.TryGetValue(input.Name, out fed);

    /// <summary>The double value for <paramref name="input"/>: fed by node first, else by name (false when a float tensor was fed in its place).</summary>
    public bool TryGet(Input input, out Matrix<double> value)
    {
        value = TryGetFed(input, out var fed) ? fed.Double! : null!;
        return value is not null;
    }

    /// <summary>The examples m of the inputs fed by node with the batch dimension, when they agree: what fixes m for outputs that have it without reading such an input (a seed of ones, 1×m).</summary>
    internal int? BatchSize()
    {
        int? m = null;
        foreach (var (input, entry) in byNode)
        {
            int? fed = input.Shape.Columns == Shape.Batch ? entry.Columns : input.Shape.Rows == Shape.Batch ? entry.Rows : null;
            if (fed is null) continue;
            if (m is not null && m != fed) return null;
            m = fed;
        }
        return m;
    }

    /// <summary>The double values fed, by input name (float tensors are not listed).</summary>
    public IEnumerator<KeyValuePair<string, Matrix<double>>> GetEnumerator() =>
        byNode.Select(p => (p.Key.Name, p.Value.Double)).Concat(byName.Select(p => (p.Key, p.Value.Double)))
            .Where(p => p.Double is not null).Select(p => new KeyValuePair<string, Matrix<double>>(p.Item1, p.Double!)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>An input's entry in a feed: a double matrix, or (when <see cref="Double"/> is null) a float tensor; and the stamp of the <c>Add</c> that set it.</summary>
internal readonly record struct Fed(Matrix<double>? Double, Tensor<float> Single, long Stamp)
{
    public int Rows => Double?.RowCount ?? Single.Rows;
    public int Columns => Double?.ColumnCount ?? Single.Columns;
}
