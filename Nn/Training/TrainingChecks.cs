using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff.Nn;

/// <summary>What the trainer checks before the first step: inputs present, examples, shapes, finite data, labels, parameters and options.</summary>
internal static class TrainingChecks
{
    public static void Validate(Model model, TrainingData data, TrainingOptions options, Precision precision)
    {
        foreach (var input in model.Inputs)
            if (!data.Any(p => p.Key == input))
                throw new ArgumentException($"The model reads input '{input.Name}' ({input.Shape}), but the training data has no matrix for it.", nameof(data));
        if (data.Examples == 0)
            throw new ArgumentException($"There are no examples to train on: the data has 0 columns (examples are columns).", nameof(data));
        foreach (var (input, matrix) in data)
        {
            if (input.Shape.Rows != Shape.Batch && matrix.RowCount != input.Shape.Rows)
                throw new ArgumentException($"The model's input '{input.Name}' expects {input.Shape}, but was given {matrix.RowCount}×{matrix.ColumnCount}: each column must hold {input.Shape.Rows} values" +
                    (input.Shape.Rows > 1 && matrix.RowCount == 1 ? "; one-hot encode the labels (Dataset.OneHot)." : "."));
            CheckFinite(input.Name, matrix, precision);
            LabelCheck.Check(model.Cost, input, matrix);
        }
        ValidateOptions(model, options);
    }

    public static void ValidateOptions(Model model, TrainingOptions options)
    {
        foreach (var p in model.Parameters)
            if (Tensor.Of(p.Value).FirstNonFinite() is { } bad)
                throw new ArgumentException($"Parameter '{p.Name}' already holds {bad.Value} at row {bad.Row}, column {bad.Column} before training; " +
                    "give it finite values (re-initialise the network) before training.", nameof(model));
        if (options.Epochs <= 0) throw new ArgumentOutOfRangeException(nameof(options), $"Epochs must be positive, got {options.Epochs}.");
        if (options.BatchSize is <= 0) throw new ArgumentOutOfRangeException(nameof(options), $"The batch size must be positive, got {options.BatchSize}.");
        if (options.RecordEvery <= 0) throw new ArgumentOutOfRangeException(nameof(options), $"RecordEvery must be positive, got {options.RecordEvery}.");
        if (options.ClipGradientNorm is { } limit && !(limit > 0 && double.IsFinite(limit)))
            throw new ArgumentOutOfRangeException(nameof(options), $"ClipGradientNorm must be positive and finite, got {limit}.");
        if (options.EarlyStopping is { Patience: <= 0 } e) throw new ArgumentOutOfRangeException(nameof(options), $"EarlyStopping.Patience must be positive, got {e.Patience}.");
    }

    /// <summary>A NaN or ∞ in the data, named by its example (its column in the whole data set, not in a shuffled batch).</summary>
    /// <summary>
    /// Refuses NaN and ∞ in <paramref name="data"/>, naming the example; for a float32 run, also a number float32
    /// cannot hold (it would become ∞ there).
    /// </summary>
    public static void CheckFinite(string what, Matrix<double> data, Precision precision)
    {
        var values = Tensor.Of(data);
        if (values.FirstNonFinite() is { } bad)
            throw new ArgumentException($"{what} holds {bad.Value} at example {bad.Column} (column {bad.Column}, row {bad.Row}); the data must be finite.", "data");
        if (precision != Precision.Single) return;
        for (int j = 0; j < values.Columns; j++)
        {
            var column = values.Column(j);
            int i = System.Numerics.Tensors.TensorPrimitives.IndexOfMaxMagnitude<double>(column);
            if (i >= 0 && Math.Abs(column[i]) > float.MaxValue)
                throw new ArgumentException($"{what} holds {column[i]} at example {j} (column {j}, row {i}), beyond float32's range (±3.4·10³⁸), and this run trains in float32. " +
                    "Scale the data (Standardizer), or train in double (Precision.Double).", "data");
        }
    }

    /// <summary>
    /// A float source's data, checked once before training as data in memory is (NaN and ∞, labels in the cost's
    /// domain), so that a bad example is named by its column in the whole data set and no step runs before.
    /// </summary>
    public static void Validate(Model model, SingleBatches source)
    {
        foreach (var (name, values) in source.Data)
        {
            if (values.FirstNonFinite() is { } bad)
                throw new ArgumentException($"'{name}' of the batch source holds {bad.Value} at example {bad.Column} (column {bad.Column}, row {bad.Row}); the data must be finite.", nameof(source));
            if (model.Inputs.FirstOrDefault(i => i.Name == name) is { } input) LabelCheck.Check(LabelCheck.DomainsOf(model.Cost, input), input, values);
        }
    }
}
