using GraphDiff.Tensors;

namespace GraphDiff.Tests;

/// <summary>
/// TensorMath's broadcasting arithmetic for every form of each operand (full, column, row, 1×1), on contiguous
/// tensors (the one-pass and tiled paths) and on views with gaps (the column-by-column path), against the scalar
/// formula; <see cref="TensorMath.BroadcastTo"/> for each form; and the argument checks.
/// </summary>
public class TensorMathBroadcastTests
{
    private static readonly (string Name, Action<Tensor, Tensor, Tensor> Run, Func<double, double, double> Reference)[] Maps =
    [
        ("Add", TensorMath.Add, (a, b) => a + b),
        ("Subtract", TensorMath.Subtract, (a, b) => a - b),
        ("Multiply", TensorMath.Multiply, (a, b) => a * b),
        ("Divide", TensorMath.Divide, (a, b) => a / b),
    ];

    public enum Form { Full, Column, Row, Number }

    private static (int Rows, int Columns) ShapeOf(Form form, int rows, int columns) => form switch
    {
        Form.Full => (rows, columns),
        Form.Column => (rows, 1),
        Form.Row => (1, columns),
        _ => (1, 1),
    };

    public static TheoryData<int, int, int> ShapesAndGaps() => new()
    {
        { 5, 7, 0 }, { 3, 40, 0 }, { 40, 3, 0 }, { 1, 17, 0 }, { 17, 1, 0 }, { 31, 600, 0 }, { 5, 7, 2 }, { 40, 3, 1 }, { 0, 4, 0 }, { 4, 0, 0 },
    };

    [Theory, MemberData(nameof(ShapesAndGaps))]
    public void EveryFormOfEachOperandMatchesTheScalarFormula(int rows, int columns, int gap)
    {
        var random = new Random(rows * 100 + columns + gap);
        foreach (Form left in Enum.GetValues<Form>())
            foreach (Form right in Enum.GetValues<Form>())
            {
                var (ar, ac) = ShapeOf(left, rows, columns);
                var (br, bc) = ShapeOf(right, rows, columns);
                // The result is the broadcast of the two (a column and a row make the full shape; two numbers a number).
                int r = ar == 1 ? br : ar, c = ac == 1 ? bc : ac;
                var a = TensorViews.Random(random, ar, ac, gap);
                var b = TensorViews.Random(random, br, bc, gap);
                foreach (var (name, run, reference) in Maps)
                {
                    var d = TensorViews.Random(random, r, c, gap);
                    run(a, b, d);
                    Assert.True(TensorViews.GapsUntouched(d), $"{name}: written outside the destination");
                    for (int j = 0; j < c; j++)
                        for (int i = 0; i < r; i++)
                        {
                            double expected = reference(a[ar == 1 ? 0 : i, ac == 1 ? 0 : j], b[br == 1 ? 0 : i, bc == 1 ? 0 : j]);
                            Assert.True(expected.Equals(d[i, j]), $"{name} of {ar}×{ac} ({left}) and {br}×{bc} ({right}) into {r}×{c}: ({i}, {j}) is {d[i, j]}, expected {expected}");
                        }
                }
            }
    }

    [Fact]
    public void TheDestinationMayBeAnOperandOfItsShape()
    {
        var random = new Random(3);
        foreach (var (name, run, reference) in Maps)
        {
            var x = TensorViews.Random(random, 6, 9);
            var bias = TensorViews.Random(random, 6, 1);
            var original = x.Clone();
            run(x, bias, x);
            for (int j = 0; j < 9; j++)
                for (int i = 0; i < 6; i++) Assert.Equal(reference(original[i, j], bias[i, 0]), x[i, j]);
        }
    }

    [Fact]
    public void BroadcastToRepeatsEachForm()
    {
        var random = new Random(5);
        foreach (Form form in Enum.GetValues<Form>())
        {
            var (rows, columns) = ShapeOf(form, 4, 6);
            var x = TensorViews.Random(random, rows, columns, gap: 1);
            var d = TensorViews.Random(random, 4, 6, gap: 2);
            TensorMath.BroadcastTo(x, d);
            for (int j = 0; j < 6; j++)
                for (int i = 0; i < 4; i++) Assert.Equal(x[rows == 1 ? 0 : i, columns == 1 ? 0 : j], d[i, j]);
            Assert.True(TensorViews.GapsUntouched(d));
        }
        var error = Assert.Throws<ArgumentException>(() => TensorMath.BroadcastTo(Tensor.Zeros(4, 6), Tensor.Zeros(1, 6)));
        Assert.Contains("x is 4×6 and does not broadcast to the 1×6 destination", error.Message);
    }

    [Fact]
    public void ShapesThatDoNotBroadcastAreRefusedNamingBoth()
    {
        var error = Assert.Throws<ArgumentException>(() => TensorMath.Add(Tensor.Zeros(3, 4), Tensor.Zeros(2, 4), Tensor.Zeros(3, 4)));
        Assert.Contains("x is 3×4 and y is 2×4", error.Message);
        Assert.Contains("TensorMath.Add", error.Message);

        var wrong = Assert.Throws<ArgumentException>(() => TensorMath.Divide(Tensor.Zeros(3, 1), Tensor.Zeros(1, 4), Tensor.Zeros(3, 1)));
        Assert.Contains("broadcast to 3×4, but the destination is 3×1", wrong.Message);
        Assert.Equal("destination", wrong.ParamName);
    }

    [Fact]
    public void APartialOverlapOrADefaultTensorIsRefused()
    {
        var x = Tensor.Zeros(4, 5);
        var column = x.ColumnRange(0, 1);
        Assert.Throws<ArgumentException>(() => TensorMath.Multiply(x, column, x));   // the bias column would be overwritten first
        Assert.Throws<ArgumentException>(() => TensorMath.Add(x.ColumnRange(0, 4), Tensor.Zeros(4, 4), x.ColumnRange(1, 4)));
        Assert.Throws<ArgumentNullException>(() => TensorMath.Subtract(default, Tensor.Zeros(0, 0), Tensor.Zeros(0, 0)));
    }
}
