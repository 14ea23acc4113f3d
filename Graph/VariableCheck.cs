using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff;

/// <summary>The comparison for one variable.</summary>
/// <param name="Variable">The variable checked.</param>
/// <param name="Analytic">∂J/∂v from reverse mode.</param>
/// <param name="Numeric">∂J/∂v from central differences.</param>
/// <param name="Difference">‖g − g̃‖₂ / (‖g‖₂ + ‖g̃‖₂) over this variable.</param>
/// <param name="WorstRow">Row of the element with the largest |g − g̃|.</param>
/// <param name="WorstColumn">Column of that element.</param>
public sealed record VariableCheck(Variable Variable, Matrix<double> Analytic, Matrix<double> Numeric, double Difference, int WorstRow, int WorstColumn)
{
    internal static VariableCheck Compare(Variable variable, Matrix<double> analytic, Matrix<double> numeric)
    {
        var diff = analytic - numeric;
        int worstRow = 0, worstColumn = 0;
        double worst = -1;
        for (int j = 0; j < diff.ColumnCount; j++)
            for (int i = 0; i < diff.RowCount; i++)
            {
                double d = Math.Abs(diff[i, j]);
                if (d > worst || double.IsNaN(d)) { worst = d; worstRow = i; worstColumn = j; }
            }
        double relative = GradientCheck.RelativeDifference(diff.FrobeniusNorm(), analytic.FrobeniusNorm(), numeric.FrobeniusNorm());
        return new VariableCheck(variable, analytic, numeric, relative, worstRow, worstColumn);
    }

    internal double SquaredDifference => Math.Pow((Analytic - Numeric).FrobeniusNorm(), 2);
}
