using GraphDiff.Tensors;

namespace GraphDiff.Tests;

/// <summary>
/// Tensor&lt;T&gt; (issue #21): views of floats behave as views of doubles do (offsets, strides, column ranges, copies,
/// bounds refused with the shapes), Tensor and Tensor&lt;double&gt; convert both ways over the same storage, and the
/// float TensorMath (the product and the vector math) agrees with the double one within float rounding and refuses
/// what the double one refuses.
/// </summary>
public class TensorOfTTests
{
    [Fact]
    public void AFloatViewReadsAndWritesItsPlaceInTheArray()
    {
        var array = Enumerable.Range(0, 20).Select(i => (float)i).ToArray();
        var view = new Tensor<float>(array, 2, 3, 4, 5);   // 3×4 at offset 2, columns 5 apart
        Assert.Equal(12, view.Length);
        Assert.False(view.IsContiguous);
        Assert.Equal(2f + 1 + 2 * 5, view[1, 2]);
        view[1, 2] = -1;
        Assert.Equal(-1f, array[13]);
        var middle = view.ColumnRange(1, 2);
        Assert.Equal(array[7], middle[0, 0]);
        var copy = view.Clone();
        Assert.True(copy.IsContiguous);
        Assert.Equal(view[2, 3], copy[2, 3]);
        Assert.Throws<InvalidOperationException>(() => view.Span.Length);
        Assert.Contains("Element (3, 0) of a 3×4 tensor", Assert.Throws<ArgumentOutOfRangeException>(() => view[3, 0]).Message);
        Assert.Contains("needs 21 elements; the array has 20", Assert.Throws<ArgumentOutOfRangeException>(() => new Tensor<float>(array, 3, 3, 4, 5)).Message);
        Assert.Equal("Tensor<Single> 3×4", view.ToString());
    }

    [Fact]
    public void FirstNonFiniteFindsTheFloatThatOverflowed()
    {
        var t = new Tensor<float>(new float[] { 1, 2, 3, float.PositiveInfinity, 5, 6 }, 3, 2);
        Assert.Equal((0, 1, float.PositiveInfinity), t.FirstNonFinite());
        t[0, 1] = 4;
        Assert.Null(t.FirstNonFinite());
    }

    [Fact]
    public void TensorAndTensorOfDoubleShareTheirStorage()
    {
        var array = new double[] { 1, 2, 3, 4, 5, 6 };
        var t = new Tensor(array, 2, 3);
        Tensor<double> generic = t;
        generic[1, 2] = 60;
        Assert.Equal(60, t[1, 2]);
        Tensor back = generic.ColumnRange(1, 2);
        Assert.Same(array, back.Array);
        Assert.Equal(2, back.Offset);
        Assert.Equal("Tensor 2×2", back.ToString());
    }

    [Fact]
    public void TheFloatProductIsTheDoubleProductWithinFloatRounding()
    {
        var random = new Random(5);
        int m = 70, n = 45, k = 130;
        var a = Enumerable.Range(0, k * m).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();   // stored k×m: used transposed
        var b = Enumerable.Range(0, k * n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var c = new float[m * n];
        TensorMath.MatrixMultiply(new Tensor<float>(a, k, m), new Tensor<float>(b, k, n), new Tensor<float>(c, m, n), transposeA: true, alpha: 2f);
        var cd = new double[m * n];
        TensorMath.MatrixMultiply(new Tensor(a.Select(v => (double)v).ToArray(), k, m), new Tensor(b.Select(v => (double)v).ToArray(), k, n), new Tensor(cd, m, n), transposeA: true, alpha: 2);
        for (int i = 0; i < c.Length; i++) Assert.True(Math.Abs(c[i] - cd[i]) <= 2 * k * Math.Pow(2, -24) * 2 * k * 0.25, $"C[{i}] = {c[i]}, double {cd[i]}");
    }

    [Fact]
    public void TheFloatProductRefusesWhatTheDoubleOneRefuses()
    {
        var a = new Tensor<float>(new float[6], 2, 3);
        var error = Assert.Throws<ArgumentException>(() => TensorMath.MatrixMultiply(a, a, new Tensor<float>(new float[4], 2, 2)));
        Assert.Contains("A is 2×3 and B is 2×3; op(A) has 3 columns but op(B) has 2 rows", error.Message);
        var shared = new float[12];
        Assert.Contains("shares storage with A", Assert.Throws<ArgumentException>(() =>
            TensorMath.MatrixMultiply(new Tensor<float>(shared, 2, 2), new Tensor<float>(new float[4], 2, 2), new Tensor<float>(shared, 2, 2))).Message);
        Assert.Throws<ArgumentNullException>(() => TensorMath.MatrixMultiply(default, a, a));
    }

    [Fact]
    public void TheFloatVectorMathIsReachedThroughTensorMath()
    {
        var x = Enumerable.Range(-20, 41).Select(i => i * 0.37f).ToArray();
        var y = new float[x.Length];
        TensorMath.Sigmoid(x, y);
        for (int i = 0; i < x.Length; i++) Assert.Equal(1 / (1 + Math.Exp(-x[i])), y[i], 1e-6);
        TensorMath.Softplus(x, y);
        for (int i = 0; i < x.Length; i++) Assert.Equal(Math.Log(1 + Math.Exp(x[i])), y[i], 1e-5);
        TensorMath.Exp(x, x);   // in place
        Assert.Equal(Math.Exp(-20 * 0.37f), x[0], 1e-9);
        Assert.Throws<ArgumentException>(() => TensorMath.Tanh(x, new float[3]));
    }
}
