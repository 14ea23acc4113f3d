namespace GraphDiff.Nn;

/// <summary>One recorded cost: after <paramref name="Epoch"/> epochs (<paramref name="Iteration"/> parameter updates).</summary>
/// <param name="Epoch">Epochs completed.</param>
/// <param name="Iteration">Parameter updates made.</param>
/// <param name="Cost">The cost averaged over the epoch's examples.</param>
/// <param name="ValidationCost">The cost on the validation set after this epoch, or NaN without one.</param>
/// <param name="LearningRate">The learning rate used in this epoch.</param>
public readonly record struct CostRecord(int Epoch, int Iteration, double Cost, double ValidationCost = double.NaN, double LearningRate = double.NaN);
