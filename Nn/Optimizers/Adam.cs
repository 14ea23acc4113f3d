
namespace GraphDiff.Nn;

/// <summary>
/// Adam, in the course's form: v := β₁v + (1 − β₁)dθ, s := β₂s + (1 − β₂)dθ², both bias-corrected by
/// 1 − βᵗ, then θ := θ − α·v̂ / (√ŝ + ε).
/// </summary>
public sealed class Adam : IOptimizer
{
    private double[][]? first, second;
    private int step;

    /// <summary>Creates the optimiser with the usual defaults β₁ = 0.9, β₂ = 0.999, ε = 1e−8.</summary>
    public Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        LearningRate = Optimizers.CheckLearningRate(learningRate);
        Beta1 = beta1 is >= 0 and < 1 ? beta1 : throw new ArgumentOutOfRangeException(nameof(beta1), $"β₁ must be in [0, 1), got {beta1}.");
        Beta2 = beta2 is >= 0 and < 1 ? beta2 : throw new ArgumentOutOfRangeException(nameof(beta2), $"β₂ must be in [0, 1), got {beta2}.");
        Epsilon = epsilon > 0 ? epsilon : throw new ArgumentOutOfRangeException(nameof(epsilon), $"ε must be positive, got {epsilon}.");
    }

    /// <inheritdoc />
    public double LearningRate { get; set => field = Optimizers.CheckLearningRate(value); }
    /// <summary>β₁, the first moment's averaging factor.</summary>
    public double Beta1 { get; }
    /// <summary>β₂, the second moment's averaging factor.</summary>
    public double Beta2 { get; }
    /// <summary>ε, which keeps the division finite.</summary>
    public double Epsilon { get; }

    /// <inheritdoc />
    public void Update(IReadOnlyList<Variable> parameters, IReadOnlyList<Tensor> gradients)
    {
        first = Optimizers.State(first, parameters);
        second = Optimizers.State(second, parameters);
        step++;
        double correction1 = 1 - Math.Pow(Beta1, step), correction2 = 1 - Math.Pow(Beta2, step);
        for (int k = 0; k < parameters.Count; k++)
        {
            double[] v = first[k], s = second[k];
            var g = gradients[k].Span;
            var theta = Tensor.Of(parameters[k].Value).Span;
            Step(theta, g, v, s, correction1, correction2);
        }
    }

    /// <summary>
    /// One update in place, a vector of elements at a time; the tail runs the same operations one element at a
    /// time (no fused multiply-adds on either path), so every element gets the same bits whatever its position.
    /// </summary>
    private void Step(Span<double> theta, ReadOnlySpan<double> g, Span<double> v, Span<double> s, double correction1, double correction2)
    {
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            int width = System.Numerics.Vector<double>.Count;
            var beta1 = new System.Numerics.Vector<double>(Beta1);
            var beta2 = new System.Numerics.Vector<double>(Beta2);
            var keep1 = new System.Numerics.Vector<double>(1 - Beta1);
            var keep2 = new System.Numerics.Vector<double>(1 - Beta2);
            var c1 = new System.Numerics.Vector<double>(correction1);
            var c2 = new System.Numerics.Vector<double>(correction2);
            var alpha = new System.Numerics.Vector<double>(LearningRate);
            var epsilon = new System.Numerics.Vector<double>(Epsilon);
            for (; i <= theta.Length - width; i += width)
            {
                var gi = new System.Numerics.Vector<double>(g[i..]);
                var vi = beta1 * new System.Numerics.Vector<double>(v[i..]) + keep1 * gi;
                var si = beta2 * new System.Numerics.Vector<double>(s[i..]) + keep2 * gi * gi;
                vi.CopyTo(v[i..]);
                si.CopyTo(s[i..]);
                (new System.Numerics.Vector<double>(theta[i..]) - alpha * (vi / c1) / (System.Numerics.Vector.SquareRoot(si / c2) + epsilon)).CopyTo(theta[i..]);
            }
        }
        for (; i < theta.Length; i++)
        {
            v[i] = Beta1 * v[i] + (1 - Beta1) * g[i];
            s[i] = Beta2 * s[i] + (1 - Beta2) * g[i] * g[i];
            theta[i] -= LearningRate * (v[i] / correction1) / (Math.Sqrt(s[i] / correction2) + Epsilon);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"Adam (α = {LearningRate:G4}, β₁ = {Beta1}, β₂ = {Beta2})";
}
