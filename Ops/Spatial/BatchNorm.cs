using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>
    /// The per-channel mean over the batch, (n_C, 1): for the course's (n, m) each row's mean over its m examples;
    /// for (…, n_C, m) each channel's (the axis before the examples) over every other axis. A batch of no examples
    /// has no mean: a plan refuses it, saying the data is empty.
    /// </summary>
    public static Node BatchMean(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Unary(new ChannelReduceOperation(ChannelAxes.Of("BatchMean", x), mean: true), x, file, line);

    /// <summary>
    /// The per-channel biased variance over the batch, (n_C, 1): the mean of (x − <see cref="BatchMean"/>)², grouped
    /// as <see cref="BatchMean"/> groups (divided by the count, as PyTorch normalises).
    /// </summary>
    public static Node BatchVariance(Node x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var axes = ChannelAxes.Of("BatchVariance", x);
        var centred = Subtract(x, PerChannel(axes, BatchMean(x, file, line), x, file, line), file, line);
        return BatchMean(Square(centred, file, line), file, line);
    }

    /// <summary>
    /// Batch normalisation, training form: y = γ·(x − μ)/√(σ² + <paramref name="epsilon"/>) + β with μ and σ² the
    /// batch statistics (<see cref="BatchMean"/>, <see cref="BatchVariance"/>) of x, (n, m) or (…, n_C, m), and
    /// <paramref name="gamma"/>, <paramref name="beta"/> (n_C, 1), one per channel (the axis before the examples).
    /// Built from operations, so its gradient flows through μ and σ² and it can be differentiated again. A plan
    /// refuses a batch with one value per channel (m = 1 for (n, m)), where every value would be its own mean and
    /// y = β whatever x (PyTorch refuses it too), and the empty batch's statistics (m = 0).
    /// </summary>
    public static Node BatchNorm(Node x, Node gamma, Node beta, double epsilon = 1e-5, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(gamma);
        ArgumentNullException.ThrowIfNull(beta);
        var axes = ChannelAxes.Of("BatchNorm", x, gamma, beta);
        RequireEpsilon("BatchNorm", x, epsilon);
        var mean = Node.Apply(new ChannelReduceOperation(axes, mean: true) { NormalisationOf = $"BatchNorm({x.Label}) at {At(file, line)}" }, [x], At(file, line));
        var centred = Subtract(x, PerChannel(axes, mean, x, file, line), file, line);
        var variance = BatchMean(Square(centred, file, line), file, line);
        var scale = Multiply(gamma, Power(Add(variance, Graph.Constant(epsilon), file, line), -0.5, file, line), file, line);
        return Add(Multiply(centred, PerChannel(axes, scale, x, file, line), file, line), PerChannel(axes, beta, x, file, line), file, line);
    }

    /// <summary>
    /// Batch normalisation, inference form: y = γ·(x − <paramref name="mean"/>)/√(<paramref name="variance"/> + ε) + β
    /// with given (running) statistics, all (n_C, 1) as for <see cref="BatchNorm"/>; computed as x·s + (β − μ·s)
    /// with s = γ/√(σ² + ε), one product and one sum over x.
    /// </summary>
    public static Node BatchNormInference(Node x, Node gamma, Node beta, Node mean, Node variance, double epsilon = 1e-5,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        foreach (var (operand, name) in new[] { (gamma, nameof(gamma)), (beta, nameof(beta)), (mean, nameof(mean)), (variance, nameof(variance)) })
            ArgumentNullException.ThrowIfNull(operand, name);
        var axes = ChannelAxes.Of("BatchNormInference", x, gamma, beta, mean, variance);
        RequireEpsilon("BatchNormInference", x, epsilon);
        var scale = Multiply(gamma, Power(Add(variance, Graph.Constant(epsilon), file, line), -0.5, file, line), file, line);
        var shift = Subtract(beta, Multiply(mean, scale, file, line), file, line);
        return Add(Multiply(x, PerChannel(axes, scale, x, file, line), file, line), PerChannel(axes, shift, x, file, line), file, line);
    }

    /// <summary>A per-channel (n_C, 1) value over x: for (n, m) the kernels broadcast the column; for images it is spread explicitly.</summary>
    private static Node PerChannel(ChannelAxes axes, Node v, Node x, string file, int line) =>
        x.Shape.Rank == 2 ? v : Node.Apply(new ChannelBroadcastOperation(axes, mean: false), [v, x], At(file, line));

    private static void RequireEpsilon(string operation, Node x, double epsilon)
    {
        if (!(epsilon >= 0) || double.IsInfinity(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), $"{operation}({x.Label}): epsilon is {epsilon}; it must be finite and 0 or more (1e-5 is usual).");
    }
}
