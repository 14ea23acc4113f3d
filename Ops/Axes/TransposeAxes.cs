using System.Globalization;
using System.Runtime.CompilerServices;
using GraphDiff.Tensors;

namespace GraphDiff;

static partial class Op
{
    /// <summary>
    /// <paramref name="x"/> with its axes permuted: axis i of the result is axis <c>axes[i]</c> of x (numpy's
    /// <c>transpose(x, axes)</c>; negative axes count from the end), e.g. <c>Transpose(K, [1, 0, 2, 3])</c> swaps a
    /// kernel's f_H and f_W. The batch axis m stays last (examples are the last axis): a permutation that moves it
    /// is refused, unless x is a matrix, where <c>[1, 0]</c> is <see cref="Transpose(Node, string, int)"/>.
    /// </summary>
    public static Node Transpose(Node x, int[] axes, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(axes);
        int rank = x.Shape.Rank;
        int[] perm = [.. axes.Select(a => AxisArguments.One("Transpose", x, a, nameof(axes)))];
        if (perm.Length != rank || perm.Distinct().Count() != rank)
            throw new ArgumentException($"Transpose({x.Label}): {AxisArguments.Format(axes)} is not a permutation of the {rank} axes of {x.Shape} (each of 0 to {rank - 1} once).", nameof(axes));
        if (rank == 2 && perm[0] == 1) return Transpose(x, file, line);
        if (x.Shape.Columns == Shape.Batch && perm[^1] != rank - 1)
            throw new ArgumentException($"Transpose({x.Label}): {AxisArguments.Format(axes)} moves the batch axis m of {x.Shape} away from the end; examples stay the last axis, so keep axis {rank - 1} last (or give the axis a fixed size first).", nameof(axes));
        return Unary(new TransposeAxesOperation(x.Shape, perm), x, file, line);
    }
}

/// <summary>y = x with its axes permuted (axis i of y is axis perm[i] of x): a strided copy. ∂J/∂x is ∂J/∂y permuted back.</summary>
internal sealed class TransposeAxesOperation : Operation
{
    internal static readonly TransposeAxesOperation[] Examples = [new(Shape.Of(2, 3, 4), [1, 2, 0]), new(Shape.Of(2, 1, 3, 2), [2, 0, 1, 3])];

    private readonly Shape source;
    private readonly int[] perm;

    internal TransposeAxesOperation(Shape source, int[] perm)
    {
        this.source = source;
        this.perm = perm;
        KeepsFinite = true;
        Info = new()
        {
            Domain = OperationInfo.Anywhere, SampleShapes = [source], Code = "",
            Onnx = AxisArguments.OnnxForMatrices(source, OperationInfo.OnnxAs("Transpose", ("perm", perm.Select(a => (long)a).ToArray()))),
            Rebuild = a =>
            {
                var s = AxisAttributes.Shape(a);
                int[] p = [.. Enumerable.Range(0, s.Rank).Select(k => (int)OperationInfo.Required(a, "perm" + k.ToString(CultureInfo.InvariantCulture)))];
                return p.Order().SequenceEqual(Enumerable.Range(0, s.Rank)) ? new TransposeAxesOperation(s, p)
                    : throw new ArgumentOutOfRangeException(nameof(a), $"the attributes 'perm0'… must be a permutation of the axes of {s}, got {AxisArguments.Format(p)}");
            },
        };
    }

    /// <inheritdoc />
    public override string Name => "TransposeAxes";

    /// <inheritdoc />
    public override bool AcceptsAnyRank => true;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Attributes
    {
        get
        {
            var attributes = new Dictionary<string, double>(AxisAttributes.Of(source));
            for (int k = 0; k < perm.Length; k++) attributes["perm" + k.ToString(CultureInfo.InvariantCulture)] = perm[k];
            return attributes;
        }
    }

    /// <inheritdoc />
    public override Shape InferShape(IReadOnlyList<Node> inputs) => inputs[0].Shape == source ? Shape.Of([.. perm.Select(a => source[a])])
        : throw ShapeMismatchException.For(Name, inputs, $"this transpose was built for {source}");

    /// <inheritdoc />
    public override void Forward(ReadOnlySpan<Tensor> inputs, Tensor result)
    {
        int m = Strided.BatchOf(source, inputs[0]);
        long[] from = Strided.Strides(Strided.Resolve(source, m));
        int[] dims = [.. perm.Select(a => source[a] == Shape.Batch ? m : source[a])];
        var run = new Strided.Copy(inputs[0].Span, result.Span);
        Strided.Walk(Strided.StorageOrder(dims.Length), dims, [.. perm.Select(a => from[a])], Strided.Strides(dims), 0, 0, ref run);
    }

    /// <inheritdoc />
    public override IReadOnlyList<Node?> Backward(Node node, Node upstream)
    {
        var inverse = new int[perm.Length];
        for (int k = 0; k < perm.Length; k++) inverse[perm[k]] = k;
        return [Node.Apply(new TransposeAxesOperation(node.Shape, inverse), [upstream])];
    }

    /// <inheritdoc />
    public override string Format(IReadOnlyList<FormattedOperand> operands) => $"Transpose({operands[0].Text}, {AxisArguments.Format(perm)})";
}
