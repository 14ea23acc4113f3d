namespace GraphDiff.Nn;

/// <summary>One recorded cost: after <paramref name="Epoch"/> epochs (<paramref name="Iteration"/> parameter updates).</summary>
/// <param name="Epoch">Epochs completed.</param>
/// <param name="Iteration">Parameter updates made.</param>
/// <param name="Cost">The cost averaged over the epoch's examples.</param>
public readonly record struct CostRecord(int Epoch, int Iteration, double Cost);
