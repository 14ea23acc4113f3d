using GraphDiff.Tensors;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests;

/// <summary>
/// Operation's float form of Forward (issue #21): by default it widens the operands, runs the double form and rounds
/// the result, so an operation written only in double, a user's above all, gives in float the double result rounded
/// (bit for bit), whatever its operands' shapes; built-in operations agree within float rounding.
/// </summary>
public class FloatForwardTests
{
    /// <summary>A user's operation with only the double form: y = x³ − x.</summary>
    internal sealed class Cubic : ElementwiseUnary
    {
        public override string Name => "Cubic";
        protected override void Forward(ReadOnlySpan<double> x, Span<double> y)
        {
            for (int i = 0; i < x.Length; i++) y[i] = x[i] * x[i] * x[i] - x[i];
        }
        public override IReadOnlyList<Node?> Backward(Node node, Node upstream) => [upstream * (3.0 * node.Inputs[0] * node.Inputs[0] - 1.0)];
    }

    [Fact]
    public void AUserOperationWithOnlyTheDoubleFormRunsInFloat()
    {
        var values = new float[] { -2.5f, -1, 0, 0.3f, 1.7f, 3 };
        var x = new Tensor<float>(values, 2, 3);
        var y = Tensor<float>.Zeros(2, 3);
        new Cubic().Forward([x], y);
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            Assert.Equal((float)(v * v * v - v), y.Span[i]);
        }
    }

    [Fact]
    public void BuiltInOperationsAgreeWithTheirDoubleForm()
    {
        var random = new Random(3);
        var w = Graph.Variable("W", DenseMatrix.Create(4, 5, (_, _) => random.NextDouble() - 0.5));
        var a = Graph.Variable("A", DenseMatrix.Create(5, 7, (_, _) => random.NextDouble() - 0.5));
        var b = Graph.Variable("b", DenseMatrix.Create(4, 1, (_, _) => random.NextDouble() - 0.5));
        // MatMul with every transpose has its own float form (the float GEMM); the sum and product go through the default.
        foreach (var node in new[] { Op.MatMul(w, a), Op.MatMul(a, true, w, true), Op.MatMul(w, false, w, true), Op.MatMul(w, true, w, false), Op.MatMul(w, a) + b, Op.Sigmoid(a), Op.Tanh(a) * a, Op.Softplus(a) })
        {
            var operands = node.Inputs.Select(i => i.Evaluate()).ToArray();
            var expected = node.Evaluate();
            var narrow = operands.Select(m => new Tensor<float>(m.ToColumnMajorArray().Select(v => (float)v).ToArray(), m.RowCount, m.ColumnCount)).ToArray();
            var result = Tensor<float>.Zeros(expected.RowCount, expected.ColumnCount);
            node.Operation.Forward(narrow, result);
            for (int j = 0; j < expected.ColumnCount; j++)
                for (int i = 0; i < expected.RowCount; i++)
                    Assert.True(Math.Abs(result[i, j] - expected[i, j]) <= 1e-6 * (1 + Math.Abs(expected[i, j])), $"{node.Operation.Name}: ({i}, {j}) float {result[i, j]}, double {expected[i, j]}");
        }
    }

    [Fact]
    public void EveryElementwiseBuiltInWithAFloatKernelAgreesWithItsDoubleForm()
    {
        var withKernel = Op.Operations.OfType<Elementwise>().Where(e => e.SingleForward is not null).ToArray();
        Assert.True(withKernel.Length >= 11, $"only {withKernel.Length} elementwise operations have a float kernel");
        foreach (var op in withKernel)
        {
            var (low, high) = op.Info.Domain![0];
            var values = Enumerable.Range(0, 37).Select(i => (float)(low + (high - low) * i / 36.0)).ToArray();
            var wide = new Tensor(values.Select(v => (double)v).ToArray(), values.Length, 1);
            var expected = Tensor.Zeros(values.Length, 1);
            op.Forward([wide], expected);
            var result = Tensor<float>.Zeros(values.Length, 1);
            op.Forward([new Tensor<float>(values, values.Length, 1)], result);
            for (int i = 0; i < values.Length; i++)
                Assert.True(Math.Abs(result[i, 0] - expected[i, 0]) <= 4 * Math.Pow(2, -24) * Math.Max(1e-30, Math.Abs(expected[i, 0])),
                    $"{op.Name}({values[i]}): float {result[i, 0]}, double {expected[i, 0]}");
        }
    }

    [Fact]
    public void TheArithmeticAgreesWithItsDoubleFormAtEveryBroadcast()
    {
        var random = new Random(9);
        float[] Values(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 + 0.5)).ToArray();
        var shapes = new (int Rows, int Columns)[][] { [(4, 6), (4, 6)], [(4, 6), (4, 1)], [(4, 1), (4, 6)], [(4, 6), (1, 6)], [(1, 6), (4, 6)], [(4, 6), (1, 1)], [(1, 1), (4, 6)], [(1, 6), (4, 1)] };
        foreach (var op in new[] { Op.AddOperation, Op.SubtractOperation, Op.MultiplyOperation, Op.DivideOperation })
            foreach (var pair in shapes)
            {
                var (ra, ca) = pair[0];
                var (rb, cb) = pair[1];
                float[] a = Values(ra * ca), b = Values(rb * cb);
                int rows = Math.Max(ra, rb), columns = Math.Max(ca, cb);
                var result = Tensor<float>.Zeros(rows, columns);
                op.Forward([new Tensor<float>(a, ra, ca), new Tensor<float>(b, rb, cb)], result);
                var expected = Tensor.Zeros(rows, columns);
                op.Forward([new Tensor(a.Select(v => (double)v).ToArray(), ra, ca), new Tensor(b.Select(v => (double)v).ToArray(), rb, cb)], expected);
                for (int j = 0; j < columns; j++)
                    for (int i = 0; i < rows; i++)
                        Assert.True(Math.Abs(result[i, j] - expected[i, j]) <= Math.Pow(2, -24) * Math.Abs(expected[i, j]),
                            $"{op.Name} {ra}×{ca} with {rb}×{cb} at ({i}, {j}): float {result[i, j]}, double {expected[i, j]}");
            }
    }

    [Fact]
    public void TheFloatArithmeticRefusesWhatTheDoubleOneRefuses()
    {
        var a = new Tensor<float>(new float[6], 2, 3);
        Assert.Contains("x is 2×3 and y is 3×2; they do not broadcast",
            Assert.Throws<ArgumentException>(() => TensorMath.Add(a, new Tensor<float>(new float[6], 3, 2), a)).Message);
        Assert.Contains("which broadcast to 2×3, but the destination is 2×2",
            Assert.Throws<ArgumentException>(() => TensorMath.Multiply(a, a, new Tensor<float>(new float[4], 2, 2))).Message);
        var shared = new float[8];
        Assert.Contains("overlaps an operand", Assert.Throws<ArgumentException>(() =>
            TensorMath.Subtract(new Tensor<float>(shared, 0, 2, 3, 2), a, new Tensor<float>(shared, 2, 2, 3, 2))).Message);
        TensorMath.Divide(a, new Tensor<float>(new float[] { 2 }, 1, 1), a);   // in place is allowed
    }
}
