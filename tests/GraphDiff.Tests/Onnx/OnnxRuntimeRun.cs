using GraphDiff.Onnx;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GraphDiff.Tests.Nn;

/// <summary>
/// Runs an exported model in ONNX Runtime on GraphDiff values: each input's storage matrix becomes the ONNX
/// tensor of its shape's logical dims (the batch dimension resolved from the matrix), and the output tensor of
/// dims (d1, …, dk, c) comes back as its storage matrix (d1·…·dk) × c, both through <see cref="OnnxLayout"/>.
/// </summary>
internal static class OnnxRuntimeRun
{
    /// <summary>The output <paramref name="output"/> of <paramref name="model"/> fed <paramref name="inputs"/>, in float32 when <paramref name="float32"/>.</summary>
    public static Matrix<double> Run(byte[] model, IReadOnlyList<(string Name, Shape Shape, Matrix<double> Value)> inputs, string output, bool float32 = false) =>
        RunWithDims(model, inputs, output, float32).Value;

    /// <summary>As <see cref="Run(byte[], IReadOnlyList{ValueTuple{string, Shape, Matrix{double}}}, string, bool)"/>, with the output's ONNX dims.</summary>
    public static (Matrix<double> Value, int[] Dims) RunWithDims(byte[] model, IReadOnlyList<(string Name, Shape Shape, Matrix<double> Value)> inputs, string output, bool float32)
    {
        using var session = new InferenceSession(model);
        var values = inputs.Select(i => ToOnnx(i.Name, i.Shape, i.Value, float32)).ToArray();
        using var results = session.Run(values);
        var result = results.Single(r => r.Name == output);
        return !float32
            ? (ToStorage(result.AsTensor<double>(), v => v), result.AsTensor<double>().Dimensions.ToArray())
            : (ToStorage(result.AsTensor<float>(), v => v), result.AsTensor<float>().Dimensions.ToArray());
    }

    /// <summary>
    /// Exports <paramref name="node"/> and asserts that ONNX Runtime, fed <paramref name="feed"/>, gives a tensor of
    /// the node's dims holding what GraphDiff computes: within 1e-12 in float64, 1e-5 relative in float32.
    /// Returns the largest (relative, in float32) difference.
    /// </summary>
    public static double AssertAgrees(Node node, IReadOnlyList<(Input Input, Matrix<double> Value)> feed, bool float32 = false)
    {
        var graphDiffFeed = new Feed();
        foreach (var (input, value) in feed) graphDiffFeed.Add(input, value);
        var expected = node.Evaluate(graphDiffFeed);
        var model = OnnxExport.ToBytes([("y", node)], new OnnxOptions { Float32 = float32 });
        var (actual, dims) = RunWithDims(model, [.. feed.Select(f => (f.Input.Name, f.Input.Shape, f.Value))], "y", float32);
        Assert.Equal(node.Shape.Resolve(expected.ColumnCount).Dimensions, dims);
        double worst = expected.RowCount * expected.ColumnCount == 0 ? 0
            : (expected - actual).Enumerate().Zip(expected.Enumerate(), (d, e) => Math.Abs(d) / (float32 ? 1 + Math.Abs(e) : 1)).Max();
        double tolerance = float32 ? 1e-5 : 1e-12;
        Assert.True(worst <= tolerance, $"{node} in {(float32 ? "float32" : "float64")} differs from GraphDiff by {worst:E2} (tolerance {tolerance:E0})");
        return worst;
    }

    /// <summary>The storage of a value of <paramref name="shape"/> with <paramref name="m"/> examples, uniform in [−<paramref name="bound"/>, <paramref name="bound"/>].</summary>
    public static Matrix<double> Random(Shape shape, int m, int seed, double bound)
    {
        var random = new Random(seed);
        var resolved = shape.Resolve(m);
        return Matrix<double>.Build.Dense(resolved.Rows, resolved.Columns, (_, _) => (random.NextDouble() * 2 - 1) * bound);
    }

    /// <summary>A rank-2 input (n × m) as ONNX Runtime takes it.</summary>
    public static Matrix<double> Run(byte[] model, Matrix<double> x, string input, string output, bool float32 = false) =>
        Run(model, [(input, new Shape(x.RowCount, Shape.Batch), x)], output, float32);

    /// <summary>The ONNX tensor of <paramref name="shape"/>'s dims holding the value stored as <paramref name="storage"/>.</summary>
    public static NamedOnnxValue ToOnnx(string name, Shape shape, Matrix<double> storage, bool float32)
    {
        int m = shape.Columns == Shape.Batch ? storage.ColumnCount : shape.Rows == Shape.Batch ? storage.RowCount : 1;
        var resolved = shape.Resolve(m);
        Assert.Equal((resolved.Rows, resolved.Columns), (storage.RowCount, storage.ColumnCount));
        var data = OnnxLayout.RowMajor(Tensor.Of(storage));
        return !float32
            ? NamedOnnxValue.CreateFromTensor(name, new DenseTensor<double>(data, resolved.Dimensions))
            : NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(data.Select(v => (float)v).ToArray(), resolved.Dimensions));
    }

    /// <summary>The storage matrix of an ONNX tensor of dims (d1, …, dk, c): (d1·…·dk) × c.</summary>
    public static Matrix<double> ToStorage<T>(Tensor<T> t, Func<T, double> convert)
    {
        var dims = t.Dimensions.ToArray();
        int columns = dims[^1], rows = dims[..^1].Aggregate(1, (a, b) => a * b);
        var data = t.ToArray().Select(convert).ToArray();
        return OnnxLayout.Storage(data, rows, columns).ToMatrixCopy();
    }
}
