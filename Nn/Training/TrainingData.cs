using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff.Nn;

/// <summary>
/// The data a model trains on, bound to its inputs: one matrix per <see cref="Input"/> node, examples as columns,
/// every matrix with the same number of columns m. Mini-batches take the same columns from each.
/// <c>new TrainingData { { net.X, x }, { net.Y, y }, { weight, weights } }</c>, or <c>network.Data(x, y)</c>. For
/// labelled examples not yet tied to a model (read from a file, split, plotted), see <see cref="Dataset"/>.
/// </summary>
public sealed class TrainingData : IEnumerable<KeyValuePair<Input, Matrix<double>>>
{
    private readonly List<KeyValuePair<Input, Matrix<double>>> inputs = [];

    /// <summary>Feeds <paramref name="examples"/> to <paramref name="input"/>.</summary>
    public void Add(Input input, Matrix<double> examples)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(examples);
        if (inputs.Any(p => p.Key == input)) throw new ArgumentException($"Input '{input.Name}' is given twice.", nameof(input));
        if (inputs.Count > 0 && examples.ColumnCount != Examples)
            throw new ArgumentException($"'{input.Name}' has {examples.ColumnCount} examples (columns) but '{inputs[0].Key.Name}' has {Examples}; every input needs one column per example.", nameof(examples));
        inputs.Add(new(input, examples));
    }

    /// <summary>The number of examples m (0 when empty).</summary>
    public int Examples => inputs.Count == 0 ? 0 : inputs[0].Value.ColumnCount;

    /// <summary>The inputs and their matrices, in the order added.</summary>
    public IEnumerator<KeyValuePair<Input, Matrix<double>>> GetEnumerator() => inputs.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
