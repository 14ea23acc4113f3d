using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Printing;

/// <summary>
/// A test-only reader of printed formulas, independent of the library's printer: it parses what a learner reads
/// (<c>W2ᵀ·dZ2 * (1 - A1²)</c>) with the usual rules and evaluates it. From loosest to tightest: <c>+ -</c>, then
/// <c>* /</c> (left to right), then unary minus, then the matrix product <c>·</c> (tighter than <c>*</c>, as the course
/// writes <c>1/m * dZ·Aᵀ</c>), then the postfix <c>ᵀ</c>, <c>²</c> and <c>^k</c>; atoms are numbers, names,
/// calls <c>F(x)</c>, <c>(x)</c> and <c>|x|</c>. Elementwise operations broadcast a 1×1 operand.
/// </summary>
internal sealed class FormulaEvaluator(string text, IReadOnlyDictionary<string, Matrix<double>> names)
{
    private int at;

    /// <summary>The value of <paramref name="formula"/>, reading names from <paramref name="values"/>.</summary>
    public static Matrix<double> Evaluate(string formula, IReadOnlyDictionary<string, Matrix<double>> values)
    {
        var reader = new FormulaEvaluator(formula, values);
        var result = reader.Sum();
        reader.Skip();
        if (reader.at != formula.Length) throw new FormatException($"unexpected '{formula[reader.at..]}' in {formula}");
        return result;
    }

    private Matrix<double> Sum()
    {
        var value = Product();
        while (true)
        {
            if (Accept('+')) value = Zip(value, Product(), (x, y) => x + y);
            else if (Accept('-')) value = Zip(value, Product(), (x, y) => x - y);
            else return value;
        }
    }

    private Matrix<double> Product()
    {
        var value = Unary();
        while (true)
        {
            if (Accept('*')) value = Zip(value, Unary(), (x, y) => x * y);
            else if (Accept('/')) value = Zip(value, Unary(), (x, y) => x / y);
            else return value;
        }
    }

    private Matrix<double> Unary() => Accept('-') ? -Unary() : MatrixProduct();

    private Matrix<double> MatrixProduct()
    {
        var value = Postfix();
        while (Accept('·')) value *= Postfix();
        return value;
    }

    private Matrix<double> Postfix()
    {
        var value = Atom();
        while (true)
        {
            if (Accept('ᵀ')) value = value.Transpose();
            else if (Accept('²')) value = value.PointwiseMultiply(value);
            else if (Accept('^')) { double k = Number(); value = value.Map(x => Math.Pow(x, k)); }
            else return value;
        }
    }

    private Matrix<double> Atom()
    {
        Skip();
        if (Accept('(')) { var inner = Sum(); Expect(')'); return inner; }
        if (Accept('|')) { var inner = Sum(); Expect('|'); return inner.PointwiseAbs(); }
        if (char.IsDigit(text[at])) return DenseMatrix.Create(1, 1, Number());
        int start = at;
        while (at < text.Length && text[at] != 'ᵀ' && (char.IsLetterOrDigit(text[at]) || text[at] == '_')) at++;
        string name = text[start..at];
        if (name.Length == 0) throw new FormatException($"expected an operand at '{text[start..]}' in {text}");
        if (!Accept('(')) return names.TryGetValue(name, out var value) ? value : throw new FormatException($"unknown name {name} in {text}");
        var argument = Sum();
        Expect(')');
        return name switch
        {
            "Tanh" => argument.Map(Math.Tanh),
            "Sigmoid" => argument.Map(x => 1 / (1 + Math.Exp(-x))),
            "Exp" => argument.Map(Math.Exp),
            _ => throw new FormatException($"unknown function {name} in {text}"),
        };
    }

    private double Number()
    {
        Skip();
        int start = at;
        if (at < text.Length && text[at] == '-') at++;
        while (at < text.Length && (char.IsDigit(text[at]) || text[at] is '.' or 'E' or 'e' || (text[at] is '+' or '-' && text[at - 1] is 'E' or 'e'))) at++;
        return double.Parse(text[start..at], CultureInfo.InvariantCulture);
    }

    private static Matrix<double> Zip(Matrix<double> a, Matrix<double> b, Func<double, double, double> f) =>
        DenseMatrix.Create(Math.Max(a.RowCount, b.RowCount), Math.Max(a.ColumnCount, b.ColumnCount),
            (i, j) => f(a[a.RowCount == 1 ? 0 : i, a.ColumnCount == 1 ? 0 : j], b[b.RowCount == 1 ? 0 : i, b.ColumnCount == 1 ? 0 : j]));

    private void Skip() { while (at < text.Length && text[at] == ' ') at++; }

    private bool Peek(char c) { Skip(); return at < text.Length && text[at] == c; }

    private bool Accept(char c)
    {
        if (!Peek(c)) return false;
        at++;
        return true;
    }

    private void Expect(char c)
    {
        if (!Accept(c)) throw new FormatException($"expected '{c}' at {at} in {text}");
    }
}
