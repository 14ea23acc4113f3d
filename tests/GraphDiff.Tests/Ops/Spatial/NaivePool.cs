namespace GraphDiff.Tests;

/// <summary>
/// Pooling written as the definition reads, element by element over (y, x, c, j) with explicit padded
/// coordinates, for the kernels to be checked against. Storage: element (y, x, c) of example j at
/// j·H·W·C + (y·W + x)·C + c.
/// </summary>
internal sealed record NaivePool(int H, int W, int C, int Size, int Stride, int Padding)
{
    public int OutH => (H + 2 * Padding - Size) / Stride + 1;
    public int OutW => (W + 2 * Padding - Size) / Stride + 1;
    public int InRows => H * W * C;
    public int OutRows => OutH * OutW * C;

    private int In(int y, int x, int c, int j) => j * InRows + (y * W + x) * C + c;
    private int Out(int y, int x, int c, int j) => j * OutRows + (y * OutW + x) * C + c;

    /// <summary>The image positions (y, x) of window (oy, ox), row-major, padding skipped.</summary>
    private IEnumerable<(int Y, int X)> Window(int oy, int ox)
    {
        for (int dy = 0; dy < Size; dy++)
            for (int dx = 0; dx < Size; dx++)
            {
                int y = oy * Stride - Padding + dy, x = ox * Stride - Padding + dx;
                if (y >= 0 && y < H && x >= 0 && x < W) yield return (y, x);
            }
    }

    private void EachOutput(int m, Action<int, int, int, int> body)
    {
        for (int j = 0; j < m; j++)
            for (int oy = 0; oy < OutH; oy++)
                for (int ox = 0; ox < OutW; ox++)
                    for (int c = 0; c < C; c++) body(oy, ox, c, j);
    }

    /// <summary>The first maximum's storage index of each output element's window (ties to the first, row-major).</summary>
    private int ArgMax(double[] x, int oy, int ox, int c, int j)
    {
        int best = -1;
        foreach (var (y, xx) in Window(oy, ox))
            if (best < 0 || x[In(y, xx, c, j)] > x[best]) best = In(y, xx, c, j);
        return best;
    }

    public double[] Max(double[] x, int m)
    {
        var y = new double[OutRows * m];
        EachOutput(m, (oy, ox, c, j) => y[Out(oy, ox, c, j)] = Window(oy, ox).Max(p => x[In(p.Y, p.X, c, j)]));
        return y;
    }

    public double[] Average(double[] x, int m)
    {
        var y = new double[OutRows * m];
        EachOutput(m, (oy, ox, c, j) => y[Out(oy, ox, c, j)] = Window(oy, ox).Sum(p => x[In(p.Y, p.X, c, j)]) / Window(oy, ox).Count());
        return y;
    }

    /// <summary>∂J/∂x of max pooling for ∂J/∂y = <paramref name="dy"/>.</summary>
    public double[] MaxBackward(double[] x, double[] dy, int m)
    {
        var dx = new double[InRows * m];
        EachOutput(m, (oy, ox, c, j) => dx[ArgMax(x, oy, ox, c, j)] += dy[Out(oy, ox, c, j)]);
        return dx;
    }

    /// <summary>g at the first maximum of x in each window.</summary>
    public double[] MaxGather(double[] x, double[] g, int m)
    {
        var y = new double[OutRows * m];
        EachOutput(m, (oy, ox, c, j) => y[Out(oy, ox, c, j)] = g[ArgMax(x, oy, ox, c, j)]);
        return y;
    }

    /// <summary>∂J/∂x of average pooling for ∂J/∂y = <paramref name="dy"/>.</summary>
    public double[] AverageBackward(double[] dy, int m)
    {
        var dx = new double[InRows * m];
        EachOutput(m, (oy, ox, c, j) =>
        {
            int count = Window(oy, ox).Count();
            foreach (var (y, x) in Window(oy, ox)) dx[In(y, x, c, j)] += dy[Out(oy, ox, c, j)] / count;
        });
        return dx;
    }

    /// <summary>Distinct values (a shuffled ramp), so no window has a tie: every maximum is unique by at least 0.01.</summary>
    public static double[] Distinct(int n, Random random)
    {
        var values = Enumerable.Range(0, n).Select(i => (i - n / 2) * 0.01).ToArray();
        random.Shuffle(values);
        return values;
    }
}
