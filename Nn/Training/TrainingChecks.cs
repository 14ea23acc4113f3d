using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff.Nn;

/// <summary>What the trainer checks before the first step: inputs present, examples, shapes, finite data, labels, parameters and options.</summary>
internal static class TrainingChecks
{
    public static void Validate(Model model, TrainingData data, TrainingOptions options)
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
            CheckFinite(input.Name, matrix);
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
    public static void CheckFinite(string what, Matrix<double> data)
    {
        if (Tensor.Of(data).FirstNonFinite() is { } bad)
            throw new ArgumentException($"{what} holds {bad.Value} at example {bad.Column} (column {bad.Column}, row {bad.Row}); the data must be finite.", "data");
    }
}
