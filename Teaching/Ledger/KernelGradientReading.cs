using System.Globalization;

namespace GraphDiff;

/// <summary>
/// A convolution's kernel gradient read as the sum it is: dJ/dK[ky, kx, c, o] = Σ over the examples and the output
/// positions (h, w) of dJ/dZ[h, w, o] · X[s·h + d·ky − p, s·w + d·kx − p, c] (padding contributes nothing), and its
/// first element worked out in numbers, as a learner checks it by hand.
/// </summary>
internal static class KernelGradientReading
{
    private const string Operation = "Conv2DKernelGradient";
    private const int TermsShown = 12;

    /// <summary>The sum <paramref name="vjp"/> computes, in symbols, when it is a convolution's kernel gradient; else null.</summary>
    public static string? Symbolic(Node vjp, string upstream, string input)
    {
        if (vjp.Operation.Name != Operation) return null;
        var (_, _, _, _, _, _, s, p, d) = Geometry(vjp);
        string At(string output, string kernel) =>
            $"{(s == 1 ? "" : $"{s}·")}{output} + {(d == 1 ? "" : $"{d}·")}{kernel}{(p == 0 ? "" : $" − {p}")}";
        // Positions are (h, w), the course's loop variables, so that they cannot be read as an operand named x or y.
        return $"Σ over examples and positions (h, w) of {upstream}[h, w, o] · {input}[{At("h", "ky")}, {At("w", "kx")}, c]";
    }

    /// <summary>
    /// Element [0, 0, 0, 0] of the kernel gradient as its terms, <c>1·1 + 1·2 + … = 12</c>, from the operand
    /// <paramref name="x"/> and the upstream gradient <paramref name="g"/> (storage matrices, one column per example).
    /// </summary>
    public static (string Terms, string Value) FirstElement(Node vjp, Tensor x, Tensor g)
    {
        var (h, w, c, fh, fw, k, s, p, d) = Geometry(vjp);
        int ho = (h + 2 * p - d * (fh - 1) - 1) / s + 1, wo = (w + 2 * p - d * (fw - 1) - 1) / s + 1;
        var inv = CultureInfo.InvariantCulture;
        var terms = new List<string>();
        double sum = 0;
        for (int e = 0; e < g.Columns; e++)
            for (int y = 0; y < ho; y++)
                for (int xo = 0; xo < wo; xo++)
                {
                    int iy = s * y - p, ix = s * xo - p;   // ky = kx = 0
                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                    double upstream = g[(y * wo + xo) * k, e], pixel = x[(iy * w + ix) * c, e];
                    sum += upstream * pixel;
                    terms.Add($"{Number(upstream)}·{Number(pixel)}");
                }
        string shown = terms.Count <= TermsShown ? string.Join(" + ", terms)
            : $"{string.Join(" + ", terms.Take(4))} + … ({terms.Count} terms)";
        return (terms.Count == 0 ? "0" : shown, sum.ToString("G6", inv));
    }

    // 2·(−0.5), not 2·-0.5.
    private static string Number(double v) => v < 0 ? $"({v.ToString("G4", CultureInfo.InvariantCulture)})" : v.ToString("G4", CultureInfo.InvariantCulture);

    private static (int H, int W, int C, int FH, int FW, int K, int S, int P, int D) Geometry(Node vjp)
    {
        var a = vjp.Operation.Attributes;
        int Get(string key) => (int)a[key];
        return (Get("height"), Get("width"), Get("channels"), Get("kernelHeight"), Get("kernelWidth"), Get("filters"), Get("stride"), Get("padding"), Get("dilation"));
    }
}
