using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Nn;

/// <summary>
/// Labelled examples, before any model: X is (features, m) and Y is (outputs, m), column j of each belonging to
/// example j, as <see cref="CsvTable"/> and <see cref="Flower"/> give them. Split them
/// (<see cref="Split"/>), pick columns (<see cref="Select"/>), encode labels (<see cref="Row"/>, <see cref="OneHot"/>),
/// plot them; hand X and Y to <c>Trainer.Train(network, data.X, data.Y, options)</c>. <see cref="TrainingData"/> is
/// the other thing: data bound to a model's <see cref="Input"/> nodes, one matrix per input, for a model of any
/// number of inputs.
/// </summary>
public sealed partial record Dataset
{
    /// <summary>Creates a dataset, checking that X and Y have the same number of columns.</summary>
    public Dataset(Matrix<double> x, Matrix<double> y)
    {
        if (x.ColumnCount != y.ColumnCount)
            throw new ArgumentException($"X is {x.RowCount}×{x.ColumnCount} and Y is {y.RowCount}×{y.ColumnCount}: both need one column per example.");
        X = x;
        Y = y;
    }

    /// <summary>The examples, (features, m).</summary>
    public Matrix<double> X { get; }

    /// <summary>The labels, (outputs, m).</summary>
    public Matrix<double> Y { get; }

    /// <summary>The number of examples m.</summary>
    public int Count => X.ColumnCount;

    /// <summary>The class of each example (see <see cref="Labels.Decide"/>).</summary>
    public int[] Classes => Labels.Decide(Y);

    /// <summary>The examples at <paramref name="columns"/>, in that order.</summary>
    public Dataset Select(IReadOnlyList<int> columns) => new(Columns(X, columns), Columns(Y, columns));

    private static Matrix<double> Columns(Matrix<double> source, IReadOnlyList<int> columns)
    {
        var target = new DenseMatrix(source.RowCount, columns.Count);
        var s = Tensor.Of(source).Array;
        int rows = source.RowCount;
        for (int k = 0; k < columns.Count; k++) s.AsSpan(columns[k] * rows, rows).CopyTo(target.Values.AsSpan(k * rows, rows));
        return target;
    }

    /// <summary>
    /// Holds out <paramref name="testFraction"/> of the examples as a test set, chosen with the seeded random source.
    /// Stratified by default: each class keeps its proportion in both parts.
    /// </summary>
    public (Dataset Train, Dataset Test) Split(double testFraction, int seed, bool stratified = true)
    {
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), $"The test fraction must be between 0 and 1, got {testFraction}.");
        var random = new Random(seed);
        var groups = stratified
            ? Classes.Select((c, j) => (c, j)).GroupBy(p => p.c).OrderBy(g => g.Key).Select(g => g.Select(p => p.j).ToArray())
            : [Enumerable.Range(0, Count).ToArray()];
        var train = new List<int>();
        var test = new List<int>();
        foreach (var group in groups)
        {
            random.Shuffle(group);
            int testCount = (int)Math.Round(group.Length * testFraction);
            test.AddRange(group.Take(testCount));
            train.AddRange(group.Skip(testCount));
        }
        // Mix the classes again so that mini-batches and plots do not see them in blocks.
        var trainOrder = train.ToArray();
        var testOrder = test.ToArray();
        random.Shuffle(trainOrder);
        random.Shuffle(testOrder);
        if (trainOrder.Length == 0 || testOrder.Length == 0)
            throw new ArgumentException($"Splitting {Count} examples with test fraction {testFraction} leaves an empty part.");
        return (Select(trainOrder), Select(testOrder));
    }

    /// <summary>The labels as a (1, m) row of 0s and 1s, for binary classification.</summary>
    public static Matrix<double> Row(IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return DenseMatrix.Create(1, labels.Count, (_, j) => labels[j]);
    }

    /// <summary>
    /// A float32 copy of <paramref name="values"/> (each element rounded to the nearest float), for <see cref="SingleBatches"/>
    /// and a float32 network's predictions; a value beyond float32's range (±3.4·10³⁸) is refused, naming its place.
    /// </summary>
    public static GraphDiff.Tensors.Tensor<float> ToSingle(Matrix<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var single = GraphDiff.Tensors.Tensor<float>.Zeros(values.RowCount, values.ColumnCount);
        ((GraphDiff.Tensors.Tensor<double>)Tensor.Of(values)).ConvertTo(single);
        if (single.FirstNonFinite() is { } bad)
            throw new ArgumentException($"Element ({bad.Row}, {bad.Column}) is {values[bad.Row, bad.Column]}, which float32 cannot hold (its range is ±3.4·10³⁸, and no NaN or ∞).", nameof(values));
        return single;
    }

    /// <summary>The labels one-hot encoded, for a softmax output: a (classes, m) matrix with a single 1 per column, in the row of the example's class.</summary>
    public static Matrix<double> OneHot(IReadOnlyList<int> labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var y = new DenseMatrix(classes, labels.Count);
        for (int j = 0; j < labels.Count; j++)
        {
            if (labels[j] < 0 || labels[j] >= classes)
                throw new ArgumentOutOfRangeException(nameof(labels), $"Label {labels[j]} of example {j} is outside 0..{classes - 1}.");
            y[labels[j], j] = 1;
        }
        return y;
    }
}
