using GraphDiff.Onnx;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Tests.Nn;

/// <summary>
/// Values of rank N in ONNX: the storage-to-ONNX conversion against a naive index computation, inputs and
/// initialisers of rank 4 with their logical dims, and Reshape/Flatten (which keep GraphDiff's storage order) run
/// in ONNX Runtime, the batch dimension symbolic, m = 0 included.
/// </summary>
[Trait("Category", "Onnx")]
public class OnnxRankNTests
{
    private static Matrix<double> Random(Shape shape, int m, int seed) => OnnxRuntimeRun.Random(shape, m, seed, 2);

    [Fact]
    public void TheOnnxDataOfARankFourValueIsRowMajorOverItsLogicalDims()
    {
        // (2, 3, 4, 5): element (a, b, c, j) is stored at j·24 + (a·3 + b)·4 + c, and ONNX's row-major index is ((a·3 + b)·4 + c)·5 + j.
        var storage = new double[2 * 3 * 4 * 5];
        for (int k = 0; k < storage.Length; k++) storage[k] = k;
        var onnx = OnnxLayout.RowMajor(new Tensor(storage, 24, 5));
        for (int a = 0; a < 2; a++) for (int b = 0; b < 3; b++) for (int c = 0; c < 4; c++) for (int j = 0; j < 5; j++)
            Assert.Equal(j * 24 + (a * 3 + b) * 4 + c, onnx[((a * 3 + b) * 4 + c) * 5 + j]);
        Assert.Equal(storage, OnnxLayout.Storage(onnx, 24, 5).Span.ToArray());
        Assert.Equal([2L, 3, 4, -1], OnnxLayout.Dims(Shape.Of(2, 3, 4, Shape.Batch)));
    }

    [Fact]
    public void ARankFourInputAndVariableKeepTheirLogicalDims()
    {
        var shape = Shape.Of(2, 3, 2, Shape.Batch);
        var X = Graph.Input("X", shape);
        var W = Graph.Variable("W", Shape.Of(2, 3, 2, 1), Random(Shape.Of(2, 3, 2, 1), 1, 1));
        var C = Graph.Filled(Shape.Of(2, 3, 2, 1), 0.5);
        OnnxRuntimeRun.AssertAgrees(Op.Tanh(X * W + C), [(X, Random(shape, 5, 3))]);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(OnnxExport.ToBytes([("y", X * W)]));
        Assert.Equal([2, 3, 2, -1], session.InputMetadata["X"].Dimensions);
        Assert.Equal([2, 3, 2, -1], session.OutputMetadata["y"].Dimensions);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(1)]
    [InlineData(0)]
    public void FlattenAndReshapeWithTheBatchDimensionRunAsInGraphDiff(int m)
    {
        var images = Shape.Of(3, 2, 4, Shape.Batch);
        var X = Graph.Input("X", images);
        var x = Random(images, m, 4);
        OnnxRuntimeRun.AssertAgrees(Op.Flatten(X), [(X, x)]);
        OnnxRuntimeRun.AssertAgrees(Op.Reshape(X, Shape.Of(6, 4, Shape.Batch)), [(X, x)]);
        var flat = Graph.Input("F", new Shape(24, Shape.Batch));
        OnnxRuntimeRun.AssertAgrees(Op.Reshape(flat, images) * 2.0, [(flat, Random(new Shape(24, Shape.Batch), m, 5))]);
    }

    [Theory]
    [InlineData(new[] { 2, 3, 4 }, new[] { 4, 3, 2 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 6, 4 })]
    [InlineData(new[] { 6, 4 }, new[] { 3, 8 })]
    [InlineData(new[] { 24, 1 }, new[] { 2, 3, 4 })]
    public void AReshapeThatMovesTheLastAxisKeepsTheStorageOrder(int[] from, int[] to)
    {
        // Without the batch dimension the last axis may change size: the storage order is then row-major over (c, d1, …, dk).
        var X = Graph.Input("X", Shape.Of(from));
        OnnxRuntimeRun.AssertAgrees(Op.Reshape(X, Shape.Of(to)), [(X, Random(Shape.Of(from), 1, 6))]);
    }

    [Theory]
    [InlineData(new[] { 0, 1 }, true, 4)]
    [InlineData(new[] { 0, 1, 3 }, true, 3)]
    [InlineData(new[] { 2 }, false, 2)]
    [InlineData(new[] { 0, 1, 2 }, false, 1)]
    [InlineData(new[] { 0, 2 }, false, 0)]
    public void ReductionsOverAxesAndTheirBroadcastsRunAsInGraphDiff(int[] axes, bool keep, int m)
    {
        var shape = Shape.Of(3, 2, 4, Shape.Batch);
        var X = Graph.Input("X", shape);
        var x = Random(shape, m, 7);
        bool overExamples = axes.Contains(3);
        OnnxRuntimeRun.AssertAgrees(Op.Sum(X, axes, keep), [(X, x)]);
        if (m == 0 && overExamples) return;   // the mean and maximum over no examples are undefined
        OnnxRuntimeRun.AssertAgrees(Op.Mean(X, axes, keep), [(X, x)]);
        OnnxRuntimeRun.AssertAgrees(Op.Max(X, axes, keep), [(X, x)]);
        // Their adjoint, the broadcast back, is in the gradient; BroadcastTo of a kept-axes sum is the aligned case.
        OnnxRuntimeRun.AssertAgrees(Op.BroadcastTo(Op.Sum(X, axes, keepAxes: true), X), [(X, x)]);
        var back = BroadcastAxesOperation.Apply(AxisMap.Reducing(shape, axes, keep), mean: true, Op.Max(X, axes, keep), X);
        OnnxRuntimeRun.AssertAgrees(back, [(X, x)]);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(0)]
    public void AxisOperationsRunAsInGraphDiffWithTheBatchDimension(int m)
    {
        var shape = Shape.Of(3, 2, 4, Shape.Batch);
        var X = Graph.Input("X", shape);
        var x = Random(shape, m, 8);
        OnnxRuntimeRun.AssertAgrees(Op.Slice(X, 0, 1, 2), [(X, x)]);
        OnnxRuntimeRun.AssertAgrees(Op.Slice(X, 2, 1, 3), [(X, x)]);
        OnnxRuntimeRun.AssertAgrees(Op.Pad(X, [1, 0, 2, 0], [0, 2, 1, 0]), [(X, x)]);
        OnnxRuntimeRun.AssertAgrees(Op.Concat(1, X, Op.Square(X), X), [(X, x)]);
        OnnxRuntimeRun.AssertAgrees(Op.Softmax(X, 2), [(X, x)]);
        OnnxRuntimeRun.AssertAgrees(Op.LogSoftmax(X, 0), [(X, x)]);
        OnnxRuntimeRun.AssertAgrees(Op.Reshape(Op.Transpose(X, [2, 0, 1, 3]), Shape.Of(4, 6, Shape.Batch)), [(X, x)]);
    }
}
