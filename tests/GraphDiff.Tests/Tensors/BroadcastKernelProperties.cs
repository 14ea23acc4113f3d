using FsCheck.Xunit;
using GraphDiff.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff.Tests;

/// <summary>The broadcasting elementwise kernels against a scalar reference, for every broadcasting pattern and in place.</summary>
[Properties(Arbitrary = [typeof(Generators)], MaxTest = 50)]
public class BroadcastKernelProperties
{
    private static void Check<TKernel>(OpCase c, Func<double, double, double> reference) where TKernel : IBinaryKernel
    {
        var random = new Random(c.Seed);
        var a = TestData.Matrix(random, c.Operand(c.PatternA), TestData.AwayFromZero);
        var b = TestData.Matrix(random, c.Operand(c.PatternB), TestData.AwayFromZero);
        var shape = new Shape(Math.Max(a.RowCount, b.RowCount), Math.Max(a.ColumnCount, b.ColumnCount));
        var result = Matrix<double>.Build.Dense(shape.Rows, shape.Columns);
        Broadcast.Apply<TKernel>(Tensor.Of(a), Tensor.Of(b), Tensor.Of(result));
        for (int j = 0; j < shape.Columns; j++)
            for (int i = 0; i < shape.Rows; i++)
            {
                double expected = reference(a[a.RowCount == 1 ? 0 : i, a.ColumnCount == 1 ? 0 : j], b[b.RowCount == 1 ? 0 : i, b.ColumnCount == 1 ? 0 : j]);
                Assert.Equal(expected, result[i, j]);
            }

        // In place: the result may be the operand that already has the result's shape.
        if (a.RowCount == shape.Rows && a.ColumnCount == shape.Columns)
        {
            var inPlace = a.Clone();
            Broadcast.Apply<TKernel>(Tensor.Of(inPlace), Tensor.Of(b), Tensor.Of(inPlace));
            Assert.Equal(result, inPlace);
        }
    }

    [Property] public void Add(OpCase c) => Check<AddKernel>(c, (x, y) => x + y);
    [Property] public void Subtract(OpCase c) => Check<SubtractKernel>(c, (x, y) => x - y);
    [Property] public void Multiply(OpCase c) => Check<MultiplyKernel>(c, (x, y) => x * y);
    [Property] public void Divide(OpCase c) => Check<DivideKernel>(c, (x, y) => x / y);

    [Property]
    public void BroadcastToRepeatsAlongSizeOneDimensions(OpCase c)
    {
        var random = new Random(c.Seed);
        var source = TestData.Matrix(random, c.Operand(c.PatternA), TestData.Any);
        var result = Matrix<double>.Build.Dense(c.Full.Rows, c.Full.Columns);
        Broadcast.To(Tensor.Of(source), Tensor.Of(result));
        for (int j = 0; j < c.Columns; j++)
            for (int i = 0; i < c.Rows; i++)
                Assert.Equal(source[source.RowCount == 1 ? 0 : i, source.ColumnCount == 1 ? 0 : j], result[i, j]);
    }

    [Property]
    public void UnaryKernelsMatchTheScalarReference(OpCase c)
    {
        var random = new Random(c.Seed);
        var x = TestData.Matrix(random, c.Full, r => TestData.Any(r) * 5);
        var cases = new (Operation Op, Func<double, double> Reference, double Tolerance)[]
        {
            (Op.SigmoidOperation, v => 1 / (1 + Math.Exp(-v)), 1e-15),
            (Op.TanhOperation, Math.Tanh, 1e-15),
            (Op.ExpOperation, Math.Exp, 1e-13),
            (Op.LogOperation, v => Math.Log(Math.Abs(v)), 1e-15),
            (Op.ReLUOperation, v => Math.Max(v, 0), 0),
            (Op.StepOperation, v => v > 0 ? 1 : 0, 0),
        };
        foreach (var (op, reference, tolerance) in cases)
        {
            var input = op == Op.LogOperation ? x.PointwiseAbs() : x;
            var y = Matrix<double>.Build.Dense(c.Full.Rows, c.Full.Columns);
            op.Forward(new[] { Tensor.Of(input) }, Tensor.Of(y));
            for (int k = 0; k < x.RowCount * x.ColumnCount; k++)
            {
                double expected = reference(Tensor.Of(x).Array[k]), actual = Tensor.Of(y).Array[k];
                Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected)), $"{op.Name}({Tensor.Of(x).Array[k]}) = {actual}, expected {expected}");
            }
        }
    }
}
