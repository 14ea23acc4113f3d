using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff;

/// <summary>The comparison for one variable, over the elements that were checked.</summary>
public sealed class VariableCheck
{
    private VariableCheck(Variable variable, Matrix<double> analytic, Matrix<double> numeric, int checkedElements)
    {
        Variable = variable;
        Analytic = analytic;
        Numeric = numeric;
        CheckedElements = checkedElements;
    }

    /// <summary>The variable checked.</summary>
    public Variable Variable { get; }

    /// <summary>∂J/∂v from reverse mode (every element).</summary>
    public Matrix<double> Analytic { get; }

    /// <summary>∂J/∂v from central differences; NaN where an element was not sampled.</summary>
    public Matrix<double> Numeric { get; }

    /// <summary>How many elements were compared.</summary>
    public int CheckedElements { get; }

    /// <summary>‖g − g̃‖₂ / (‖g‖₂ + ‖g̃‖₂) over the checked elements of this variable.</summary>
    public double Difference { get; private init; }

    /// <summary>Row of the checked element with the largest |g − g̃|.</summary>
    public int WorstRow { get; private init; }

    /// <summary>Column of that element.</summary>
    public int WorstColumn { get; private init; }

    /// <summary>
    /// This variable's conclusion: <see cref="CheckOutcome.Passed"/> when <see cref="Difference"/> is below the
    /// threshold; <see cref="CheckOutcome.Inconclusive"/> when it is not but every checked element's |g − g̃| is
    /// within the numeric estimate's rounding error (<see cref="GradientCheckReport.RoundingLevel"/>);
    /// <see cref="CheckOutcome.Failed"/> otherwise; <see cref="CheckOutcome.NotChecked"/> when no element was compared.
    /// </summary>
    public CheckOutcome Outcome { get; private init; }

    internal double DifferenceSquares { get; private init; }
    internal double AnalyticSquares { get; private init; }
    internal double NumericSquares { get; private init; }

    /// <summary>|g − g̃| at the worst element.</summary>
    public double WorstError => Math.Abs(Analytic[WorstRow, WorstColumn] - Numeric[WorstRow, WorstColumn]);

    internal static VariableCheck Compare(Variable variable, Tensor analytic, Tensor numeric, IReadOnlyList<(int Row, int Column)> elements,
        double threshold, double roundingLevel)
    {
        double differences = 0, analytics = 0, numerics = 0, worst = -1;
        (int Row, int Column) worstAt = elements.Count > 0 ? elements[0] : (0, 0);
        foreach (var (i, j) in elements)
        {
            double a = analytic[i, j], n = numeric[i, j], d = Math.Abs(a - n);
            differences += d * d;
            analytics += a * a;
            numerics += n * n;
            if (d > worst || double.IsNaN(d)) { worst = d; worstAt = (i, j); }
        }
        double difference = GradientCheck.RelativeDifference(Math.Sqrt(differences), Math.Sqrt(analytics), Math.Sqrt(numerics));
        return new VariableCheck(variable, analytic.ToMatrix(), numeric.ToMatrix(), elements.Count)
        {
            Difference = difference,
            Outcome = elements.Count == 0 ? CheckOutcome.NotChecked
                : difference < threshold ? CheckOutcome.Passed
                : worst <= roundingLevel ? CheckOutcome.Inconclusive   // NaN falls through to Failed
                : CheckOutcome.Failed,
            WorstRow = worstAt.Row,
            WorstColumn = worstAt.Column,
            DifferenceSquares = differences,
            AnalyticSquares = analytics,
            NumericSquares = numerics,
        };
    }
}
