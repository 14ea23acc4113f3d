using MathNet.Numerics.LinearAlgebra;

namespace GraphDiff.Tests.Spatial;

/// <summary>
/// A convolution's geometry for tests, and the convolution and its three gradients as plain loops over the storage
/// matrices (x: (H·W·C) × m, kernel: (FH·FW·C) × K, output: (OH·OW·K) × m), the reference the operations must match.
/// </summary>
public sealed record ConvCase(int H, int W, int C, int FH, int FW, int K, int Stride, int Padding, int Dilation, int M)
{
    public int OH => (H + 2 * Padding - Dilation * (FH - 1) - 1) / Stride + 1;
    public int OW => (W + 2 * Padding - Dilation * (FW - 1) - 1) / Stride + 1;
    public bool Valid => H + 2 * Padding - Dilation * (FH - 1) - 1 >= 0 && W + 2 * Padding - Dilation * (FW - 1) - 1 >= 0;
    public Shape X => Shape.Of(H, W, C, M);
    public Shape Kernel => Shape.Of(FH, FW, C, K);
    public Shape Out => Shape.Of(OH, OW, K, M);

    public override string ToString() => $"x ({H},{W},{C},{M}) kernel ({FH},{FW},{C},{K}) s{Stride} p{Padding} d{Dilation}";

    /// <summary>Calls <paramref name="tap"/>(x row, kernel row, output row, example) for every multiply-add of the convolution: seven loops.</summary>
    public void ForEachTap(Action<int, int, int, int> tap)
    {
        for (int e = 0; e < M; e++)
            for (int oy = 0; oy < OH; oy++)
                for (int ox = 0; ox < OW; ox++)
                    for (int co = 0; co < K; co++)
                        for (int ky = 0; ky < FH; ky++)
                            for (int kx = 0; kx < FW; kx++)
                                for (int ci = 0; ci < C; ci++)
                                {
                                    int iy = oy * Stride - Padding + ky * Dilation, ix = ox * Stride - Padding + kx * Dilation;
                                    if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                                    tap(((iy * W) + ix) * C + ci, ((ky * FW) + kx) * C + ci, ((oy * OW) + ox) * K + co, e);
                                }
    }

    public Matrix<double> Forward(Matrix<double> x, Matrix<double> kernel, Matrix<double>? bias)
    {
        var y = Matrix<double>.Build.Dense(OH * OW * K, M);
        if (bias is not null)
            for (int e = 0; e < M; e++)
                for (int r = 0; r < y.RowCount; r++) y[r, e] = bias[r % K, 0];
        ForEachTap((xi, ki, yi, e) => y[yi, e] += x[xi, e] * kernel[ki, yi % K]);
        return y;
    }

    public Matrix<double> InputGradient(Matrix<double> g, Matrix<double> kernel)
    {
        var dx = Matrix<double>.Build.Dense(H * W * C, M);
        ForEachTap((xi, ki, yi, e) => dx[xi, e] += g[yi, e] * kernel[ki, yi % K]);
        return dx;
    }

    public Matrix<double> KernelGradient(Matrix<double> x, Matrix<double> g)
    {
        var dk = Matrix<double>.Build.Dense(FH * FW * C, K);
        ForEachTap((xi, ki, yi, e) => dk[ki, yi % K] += x[xi, e] * g[yi, e]);
        return dk;
    }

    public Matrix<double> BiasGradient(Matrix<double> g)
    {
        var db = Matrix<double>.Build.Dense(K, 1);
        for (int e = 0; e < M; e++)
            for (int r = 0; r < g.RowCount; r++) db[r % K, 0] += g[r, e];
        return db;
    }
}
