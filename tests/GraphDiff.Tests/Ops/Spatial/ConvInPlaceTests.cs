using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff.Tests.Spatial;

/// <summary>
/// The convolution that reads its patches in place (ConvInPlace, ConvTiles) against the plain loops, at every
/// register width forced on this machine (ConvTiles.ForcedChannels) (tiles of 4, 8 and 16 channels): output positions and patch elements on
/// both sides of the six-column tile (1 to 13 positions, patches of 2·k … 17·9 elements), one to three channel tiles,
/// strides, paddings up to and past the dilated kernel (the input gradient then takes the GEMM path), dilation,
/// m = 0, 1 and several; and one thread against many, bit for bit. Not run in parallel with other tests: the forced
/// width is process-wide.
/// </summary>
[Collection(nameof(Reliability.LaneWidthTests))]
public class ConvInPlaceTests
{
    public static TheoryData<int, ConvCase> Cases() => CasesOf(elementBits: 64);

    /// <summary>The same cases for float tiles, whose channels are twice the double tiles' at each width.</summary>
    public static TheoryData<int, ConvCase> SingleCases() => CasesOf(elementBits: 32);

    private static TheoryData<int, ConvCase> CasesOf(int elementBits)
    {
        var data = new TheoryData<int, ConvCase>();
        foreach (int bits in new[] { 512, 256, 128 })
        {
            int mr = 2 * bits / elementBits;
            ConvCase[] cases =
            [
                new(1, 1, 2, 1, 1, mr, 1, 0, 1, 1),          // one position, patch of 2
                new(2, 3, 3, 1, 1, 2 * mr, 1, 0, 1, 2),      // six positions: one full tile
                new(1, 7, 2, 1, 3, mr, 1, 1, 1, 3),          // seven: a tile and one
                new(3, 4, 16, 3, 3, mr, 1, 1, 1, 2),         // twelve, patch 144 (24 tiles of six)
                new(13, 1, 17, 3, 1, 3 * mr, 1, 1, 1, 2),    // thirteen, patch 51 (eight tiles and three)
                new(6, 6, 5, 5, 5, mr, 1, 2, 1, 2),          // the ConvNet's geometry, padding d(f−1)/2
                new(5, 6, 4, 3, 3, 2 * mr, 2, 1, 1, 3),      // stride 2: forward and kernel gradient in place
                new(7, 7, 3, 3, 3, mr, 1, 2, 2, 2),          // dilation 2, padding 2 ≤ d(f−1) = 4
                new(4, 4, 2, 2, 2, mr, 1, 2, 1, 2),          // padding 2 > d(f−1) = 1: input gradient by GEMM
                new(5, 5, 3, 3, 3, mr, 1, 1, 1, 0),          // no examples
                new(4, 5, mr, 3, 2, mr, 1, 1, 1, 2),         // input channels one tile: the input gradient in place
                new(3, 3, 2 * mr, 2, 3, mr, 1, 1, 1, 3),     // two tiles of input channels
            ];
            foreach (var c in cases) data.Add(bits, c);
            if (bits == 128) continue;   // half the narrowest tile is no tile: such a convolution takes the GEMM path
            data.Add(bits, new(5, 6, 3, 3, 3, mr / 2, 1, 1, 1, 2));        // half a tile of filters: one register, input channels in pairs and one left
            data.Add(bits, new(4, 5, mr / 2, 3, 3, mr / 2, 1, 2, 1, 3));   // half a tile of input channels too: the input gradient in pairs
        }
        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public void EveryWidthIsTheLoops(int bits, ConvCase c)
    {
        using var _ = Force(bits);
        var random = new Random(c.GetHashCode());
        var (x, kernel, bias, g) = Values(c, random);
        var results = Run(c, x, kernel, bias, g);
        Close(c.Forward(x, kernel, bias), results[0], c, bits, "forward");
        Close(c.InputGradient(g, kernel), results[1], c, bits, "∂J/∂x");
        Close(c.KernelGradient(x, g), results[2], c, bits, "∂J/∂W");
    }

    /// <summary>
    /// The float tiles (Precision.Single plans) against the double loops on the same float values: within float
    /// rounding of sums of n terms of magnitude ≤ 1 (a misplaced index is off by about 1), and taken by the tiles, not
    /// the converting fallback.
    /// </summary>
    [Theory, MemberData(nameof(SingleCases))]
    public void EveryFloatWidthIsTheLoops(int bits, ConvCase c)
    {
        using var _ = Force(bits);
        var geometry = new ConvGeometry(c.H, c.W, c.C, c.FH, c.FW, c.K, c.Stride, c.Padding, c.Dilation);
        Assert.True(ConvInPlace.Fits<float>(geometry), $"{c} does not take the float tiles at {bits} bits");
        var random = new Random(c.GetHashCode());
        var (x, kernel, bias, g) = Values(c, random);
        foreach (var m in new[] { x, kernel, bias, g }) m.MapInplace(v => (float)v);
        var results = Run(c, x, kernel, bias, g, Precision.Single);
        double forwardTerms = c.FH * c.FW * c.C + 1, kernelTerms = c.OH * c.OW * Math.Max(c.M, 1), inputTerms = c.FH * c.FW * c.K;
        Close(c.Forward(x, kernel, bias), results[0], c, bits, "forward (float)", 1e-6 * forwardTerms);
        Close(c.InputGradient(g, kernel), results[1], c, bits, "∂J/∂x (float)", 1e-6 * inputTerms);
        Close(c.KernelGradient(x, g), results[2], c, bits, "∂J/∂W (float)", 1e-6 * kernelTerms);
    }

    [Theory]
    [InlineData(256, 14, 14, 16, 32, 9)]  // the ConvNet's second convolution, an odd number of examples
    [InlineData(512, 7, 9, 16, 16, 5)]
    [InlineData(128, 9, 7, 4, 12, 7)]
    [InlineData(256, 23, 5, 16, 16, 3)]   // a tall image: the kernel gradient's bands of output rows (19 and 4 in double)
    [InlineData(256, 41, 3, 24, 16, 2)]   // three input-channel tiles, bands with a remainder in double and float
    [InlineData(512, 9, 8, 8, 8, 5)]      // half a tile of filters and of input channels: summed in pairs
    public void ManyThreadsGiveTheBitsOfOne(int bits, int h, int w, int channels, int filters, int m)
    {
        using var _ = Force(bits);
        var c = new ConvCase(h, w, channels, 5, 5, filters, 1, 2, 1, m);
        var (x, kernel, bias, g) = Values(c, new Random(11));
        int before = ConvBlocks.MaxThreads;
        try
        {
            ConvBlocks.MaxThreads = 1;
            var one = Run(c, x, kernel, bias, g);
            ConvBlocks.MaxThreads = 4;
            var many = Run(c, x, kernel, bias, g);
            for (int k = 0; k < one.Length; k++) Assert.True(one[k].Equals(many[k]), $"result {k} differs between 1 and 4 threads at {bits} bits");
            Close(c.KernelGradient(x, g), one[2], c, bits, "∂J/∂W");
        }
        finally { ConvBlocks.MaxThreads = before; }
    }

    [Fact]
    public void TheTilesTakeTheConvNetsSecondConvolution()
    {
        // Guards the benchmark's premise: at the native width, the ConvNet's conv 16 → 32 runs in place.
        var g = new ConvGeometry(14, 14, 16, 5, 5, 32, 1, 2, 1);
        Assert.Equal(ConvTiles.NativeChannels > 0, ConvInPlace.Fits<double>(g));
        Assert.Equal(ConvTiles.NativeChannels > 0, ConvInPlace.FitsInputGradient<double>(g));
        // In float too, where its 16 input channels are half a tile at 512 bits (the input gradient summed in pairs).
        Assert.Equal(ConvTiles.NativeChannels > 0, ConvInPlace.FitsInputGradient<float>(g));
    }

    /// <summary>Tiles of two vectors of <paramref name="bits"/> each, until disposed.</summary>
    private static IDisposable Force(int bits)
    {
        ConvTiles.ForcedChannels = bits / 32;
        return new Restore();
    }

    private sealed class Restore : IDisposable
    {
        public void Dispose() => ConvTiles.ForcedChannels = 0;
    }

    private static Matrix<double>[] Run(ConvCase c, Matrix<double> xValue, Matrix<double> kernelValue, Matrix<double> biasValue, Matrix<double> gValue,
        Precision precision = Precision.Double)
    {
        var x = Graph.Input("x", Shape.Of(c.H, c.W, c.C, Shape.Batch));
        var kernel = Graph.Variable("W", c.Kernel, kernelValue);
        var bias = Graph.Variable("b", new Shape(c.K, 1), biasValue);
        var g = Graph.Input("G", new Shape(c.OH * c.OW * c.K, Shape.Batch));
        var z = Op.Conv2D(x, kernel, bias, c.Stride, c.Padding, c.Dilation);
        var gradients = Gradients.Of(Op.Sum(Op.Flatten(z) * g), x, kernel);
        var run = new EvaluationPlan([z, gradients[x], gradients[kernel]], precision).Run(new Feed { [x] = xValue, [g] = gValue });
        return [run[z], run[gradients[x]], run[gradients[kernel]]];
    }

    private static (Matrix<double> X, Matrix<double> Kernel, Matrix<double> Bias, Matrix<double> G) Values(ConvCase c, Random random) =>
        (Matrix<double>.Build.Dense(c.H * c.W * c.C, c.M, (_, _) => random.NextDouble() * 2 - 1),
         Matrix<double>.Build.Dense(c.FH * c.FW * c.C, c.K, (_, _) => random.NextDouble() * 2 - 1),
         Matrix<double>.Build.Dense(c.K, 1, (_, _) => random.NextDouble() * 2 - 1),
         Matrix<double>.Build.Dense(c.OH * c.OW * c.K, c.M, (_, _) => random.NextDouble() * 2 - 1));

    private static void Close(Matrix<double> expected, Matrix<double> actual, ConvCase c, int bits, string what, double tolerance = 1e-11)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.ColumnCount, actual.ColumnCount);
        double worst = expected.ColumnCount == 0 ? 0 : (expected - actual).Enumerate().Max(Math.Abs);
        Assert.True(worst < tolerance, $"{what} of {c} at {bits} bits: off by {worst} (tolerance {tolerance:G3})");
    }
}
