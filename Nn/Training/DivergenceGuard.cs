using System.Globalization;

namespace GraphDiff.Nn;

/// <summary>
/// Watches the epoch costs and the saturation of cross-entropy predictions, and says when training has diverged
/// without producing a NaN (binary cross-entropy clips its probabilities, so the cost of a run with α = 10⁶ stays
/// finite). The rules, checked after every epoch:
/// <list type="bullet">
/// <item>the cost rose well above its start: above max(2·J₁, J₁ + 0.1), J₁ being the first epoch's cost;</item>
/// <item>the cost kept rising: <see cref="RisingEpochs"/> rises in a row, adding up to more than 10%;</item>
/// <item>the outputs saturated: more than <see cref="SaturatedFraction"/> of the examples predict a probability
/// within 10⁻¹⁵ of the wrong class, where the clipped cross-entropy's gradient is 0.</item>
/// </list>
/// </summary>
internal sealed class DivergenceGuard
{
    /// <summary>Consecutive rising epochs that count as "keeps rising".</summary>
    public const int RisingEpochs = 10;

    /// <summary>The share of examples saturated at the wrong class that counts as divergence.</summary>
    public const double SaturatedFraction = 0.05;

    private double first = double.NaN;
    private double previous = double.NaN;
    private double windowStart = double.NaN;
    private int rising;

    /// <summary>Why training diverged at the end of this epoch, or <c>null</c> when it looks healthy.</summary>
    public string? AfterEpoch(double cost, long saturated, long examples)
    {
        var inv = CultureInfo.InvariantCulture;
        if (examples > 0 && saturated > SaturatedFraction * examples)
            return $"the outputs saturated: {saturated} of {examples} examples ({(100.0 * saturated / examples).ToString("F1", inv)}%) predict a probability " +
                   $"within 1e-15 of the wrong class, where the cross-entropy's gradient vanishes, so they can no longer learn (cost {cost.ToString("G4", inv)})";
        if (double.IsNaN(first)) { first = previous = windowStart = cost; return null; }
        if (cost > Math.Max(2 * first, first + 0.1))
            return $"the cost rose from {first.ToString("G4", inv)} after the first epoch to {cost.ToString("G4", inv)}";
        if (cost > previous) { if (rising++ == 0) windowStart = previous; }
        else rising = 0;
        previous = cost;
        if (rising >= RisingEpochs && cost > windowStart * 1.1 + 1e-12)
            return $"the cost rose for {rising} epochs in a row, from {windowStart.ToString("G4", inv)} to {cost.ToString("G4", inv)}";
        return null;
    }
}
