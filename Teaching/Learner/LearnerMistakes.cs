using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff;

/// <summary>
/// Names the classic mistakes of hand-written backprop from the figures: a wrong shape (transposed, summed over the
/// wrong axis, not summed, the dimension dropped), a flipped sign, a factor m, a transpose, and a difference only
/// where Z = 0 (ReLU's kink). Each is a guess the figures support exactly, said as a question where only the shape shows it.
/// </summary>
internal static class LearnerMistakes
{
    private const double Exact = 1e-7;

    /// <summary>Why <paramref name="yours"/> cannot have the shape of <paramref name="expected"/>, as a hint.</summary>
    public static string Shape(Matrix<double> yours, Matrix<double> expected, int m)
    {
        int r = yours.RowCount, c = yours.ColumnCount, er = expected.RowCount, ec = expected.ColumnCount;
        if (r == ec && c == er)
            return Agrees(yours.Transpose(), expected)
                ? "transposed: its transpose is right" + (r == 1 ? " (a sum without keepdims=True gives an (n,) vector, which reads as a row)" : "")
                : "transposed? (a gradient has the shape of what it differentiates)" + (r == 1 ? "; or a sum without keepdims=True, whose (n,) reads as a row" : "");
        if (ec == 1 && r == er && c == m && m > 1)
            return "not summed over the examples? (db = 1/m · Σ dZ over axis 1, keepdims=True)";
        if (ec == 1 && r == 1 && c == m && er > 1)
            return "summed over the wrong axis? (axis 0 sums over the units; db sums over the examples, axis 1, keepdims=True)";
        if (r == 1 && c == 1)
            return "summed over everything? (sum over axis 1 only, keepdims=True)";
        return "a gradient has the shape of what it differentiates";
    }

    /// <summary>The classic mistake that <paramref name="yours"/> against <paramref name="expected"/> (same shape, the learner's convention) shows, or null.</summary>
    /// <param name="yours">The learner's gradient.</param>
    /// <param name="expected">The graph's, in the learner's convention.</param>
    /// <param name="m">The number of examples.</param>
    /// <param name="variable">Whether it is a parameter's gradient (dW, db), where the 1/m belongs.</param>
    /// <param name="kinkAt">Where the quantity's node sits on a kink of an operation it feeds (Z = 0 under ReLU), or null.</param>
    /// <param name="node">The node's name, for the kink's hint.</param>
    public static string? Values(Matrix<double> yours, Matrix<double> expected, int m, bool variable, Func<int, int, bool>? kinkAt, string node)
    {
        if (Agrees(yours, -expected)) return "sign flipped: yours is −expected";
        if (variable && m > 1 && Agrees(yours, expected * m)) return Factor("m × expected: the 1/m of the mean is missing", m);
        if (variable && m > 1 && Agrees(yours, expected / m)) return Factor("expected / m: the 1/m is applied twice", m);
        if (yours.RowCount == yours.ColumnCount && yours.RowCount > 1 && Agrees(yours, expected.Transpose())) return "transposed: yours is expectedᵀ";
        if (kinkAt is not null && OnlyAtKinks(yours, expected, kinkAt))
            return $"differs only where {node} = 0, ReLU's kink: its derivative there is taken as 0 (use {node} > 0, not {node} >= 0)";
        return null;
    }

    private static string Factor(string what, int m) => string.Create(CultureInfo.InvariantCulture, $"off by a factor m = {m}: yours is {what}");

    private static bool OnlyAtKinks(Matrix<double> yours, Matrix<double> expected, Func<int, int, bool> kinkAt)
    {
        double scale = Exact * (yours.FrobeniusNorm() + expected.FrobeniusNorm());
        bool any = false;
        for (int j = 0; j < yours.ColumnCount; j++)
            for (int i = 0; i < yours.RowCount; i++)
            {
                if (!(Math.Abs(yours[i, j] - expected[i, j]) > scale)) continue;
                if (!kinkAt(i, j)) return false;
                any = true;
            }
        return any;
    }

    private static bool Agrees(Matrix<double> a, Matrix<double> b) =>
        a.RowCount == b.RowCount && a.ColumnCount == b.ColumnCount &&
        GradientCheck.RelativeDifference((a - b).FrobeniusNorm(), a.FrobeniusNorm(), b.FrobeniusNorm()) < Exact && a.FrobeniusNorm() > 0;
}
