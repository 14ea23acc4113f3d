namespace GraphDiff.Nn;

/// <summary>
/// What <see cref="TrainingOptions.Progress"/> receives: once after every iteration (<see cref="IsEpochEnd"/>
/// false, <see cref="Cost"/> the mini-batch's cost) and once at the end of every epoch (<see cref="IsEpochEnd"/>
/// true, <see cref="Cost"/> the epoch's average, <see cref="ValidationCost"/> when a validation set is given).
/// A value type, so reporting allocates nothing.
/// </summary>
/// <param name="Epoch">The epoch (from 1).</param>
/// <param name="Epochs">The epochs planned.</param>
/// <param name="Iteration">Parameter updates made so far.</param>
/// <param name="Cost">The mini-batch's cost, or the epoch's average at the end of an epoch.</param>
/// <param name="ValidationCost">The cost on the validation set at the end of an epoch; NaN otherwise.</param>
/// <param name="LearningRate">The learning rate in use.</param>
/// <param name="IsEpochEnd">Whether this report ends an epoch.</param>
/// <param name="Elapsed">Time since training started.</param>
public readonly record struct TrainingProgress(int Epoch, int Epochs, int Iteration, double Cost, double ValidationCost, double LearningRate, bool IsEpochEnd, TimeSpan Elapsed);
