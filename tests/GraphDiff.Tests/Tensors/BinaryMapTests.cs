using GraphDiff.Kernels;

namespace GraphDiff.Tests.Reliability;

/// <summary>The lane-generic binary kernels at every length around the vector widths, with each operand a span or a number.</summary>
public class BinaryMapTests
{
    public static TheoryData<int> Lengths() => [.. Enumerable.Range(0, 35), 63, 64, 65, 1000, 1001];

    [Theory, MemberData(nameof(Lengths))]
    public void Every_element_matches_the_scalar_formula(int n)
    {
        var random = new Random(n);
        var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 4 - 2).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 4 + 0.5).ToArray();
        const double s = 1.75;
        Check<AddKernel>((a, b) => a + b);
        Check<SubtractKernel>((a, b) => a - b);
        Check<MultiplyKernel>((a, b) => a * b);
        Check<DivideKernel>((a, b) => a / b);

        void Check<TKernel>(Func<double, double, double> f) where TKernel : IBinaryKernel
        {
            var d = new double[n];
            VectorMath.Map<TKernel>(x, y, d);
            for (int i = 0; i < n; i++) Assert.Equal(f(x[i], y[i]), d[i]);
            VectorMath.Map<TKernel>(x, default, d, yScalar: s);
            for (int i = 0; i < n; i++) Assert.Equal(f(x[i], s), d[i]);
            VectorMath.Map<TKernel>(default, y, d, xScalar: s);
            for (int i = 0; i < n; i++) Assert.Equal(f(s, y[i]), d[i]);
            var inPlace = (double[])x.Clone();
            VectorMath.Map<TKernel>(inPlace, y, inPlace);
            for (int i = 0; i < n; i++) Assert.Equal(f(x[i], y[i]), inPlace[i]);
        }
    }

    [Fact]
    public void A_short_operand_is_refused_rather_than_read_past()
    {
        var d = new double[8];
        Assert.Throws<ArgumentException>(() => VectorMath.Map<AddKernel>(new double[7], new double[8], d));
        Assert.Throws<ArgumentException>(() => VectorMath.Map<AddKernel>(new double[8], default, d));
    }
}
