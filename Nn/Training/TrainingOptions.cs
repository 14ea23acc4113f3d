using Microsoft.Extensions.Logging;

namespace GraphDiff.Nn;

/// <summary>How to train. The defaults are the course's: full-batch gradient descent, cost recorded every 100 iterations.</summary>
public sealed record TrainingOptions
{
    /// <summary>
    /// Passes over the training set. With full-batch training (the course) one epoch is one iteration, so this
    /// is the course's <c>num_iterations</c>.
    /// </summary>
    public int Epochs { get; init; } = 1000;

    /// <summary>Examples per mini-batch, shuffled every epoch; <c>null</c> (the default) trains on the full batch.</summary>
    public int? BatchSize { get; init; }

    /// <summary>The optimiser; gradient descent with α = 0.0075 (the course's deep network) by default.</summary>
    public IOptimizer Optimizer { get; init; } = new GradientDescent(0.0075);

    /// <summary>Record (and log) the cost every this many epochs; the last epoch is always recorded.</summary>
    public int RecordEvery { get; init; } = 100;

    /// <summary>The seed of the mini-batch shuffling, so a run is reproducible.</summary>
    public int ShuffleSeed { get; init; }

    /// <summary>
    /// When true (the default), training stops with <see cref="TrainingDivergedException"/> when the cost rises well
    /// above its start or keeps rising, or when cross-entropy outputs saturate at the wrong class, as well as on any
    /// NaN or ∞. The rules are in the README ("What GraphDiff guarantees").
    /// </summary>
    public bool DetectDivergence { get; init; } = true;

    /// <summary>
    /// Examples held out of training (the same inputs as the training data): their cost is computed after every
    /// epoch, recorded in the history, logged, reported to <see cref="Progress"/> and watched by
    /// <see cref="EarlyStopping"/>. A network's validation cost leaves dropout out.
    /// </summary>
    public TrainingData? Validation { get; init; }

    /// <summary>Stops when the validation cost (or, without a validation set, the training cost) stops improving; off by default.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>How the learning rate changes from epoch to epoch (e.g. <see cref="LearningRateSchedule.InverseTime"/>); constant by default.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>
    /// When set, the gradients of each iteration are scaled down together whenever their overall L2 norm
    /// (over every parameter) exceeds this value, keeping their direction; off by default.
    /// </summary>
    public double? ClipGradientNorm { get; init; }

    /// <summary>
    /// Receives a <see cref="TrainingProgress"/> after every iteration and at the end of every epoch (a value
    /// type: reporting allocates nothing). Reports arrive on the training thread, unless the receiver posts them
    /// elsewhere (as <see cref="System.Progress{T}"/> does).
    /// </summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>
    /// The precision the training steps compute in: <c>null</c> (the default) trains in the model's
    /// <see cref="GraphDiff.Model.Precision"/> (a network's <see cref="NetworkOptions.Precision"/>, double for a model built by hand). With
    /// <see cref="GraphDiff.Precision.Single"/> every value of a step is float32; the parameters stay double (the
    /// optimiser adds each float gradient to them exactly, so updates smaller than a float's rounding are not lost).
    /// </summary>
    public Precision? Precision { get; init; }

    /// <summary>Where progress goes; the trainer is silent without one.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>
    /// Stops training between iterations with an <see cref="OperationCanceledException"/>; the parameters keep
    /// the values they had reached, so the network can still be used or saved.
    /// </summary>
    public CancellationToken CancellationToken { get; init; }
}
