namespace GraphDiff.Onnx;

/// <summary>The element type of an exported model's inputs, outputs and parameters.</summary>
public enum OnnxElementType
{
    /// <summary>float64, GraphDiff's own type: ONNX Runtime reproduces GraphDiff's results to about 1e-15.</summary>
    Double,

    /// <summary>float32, what most serving runtimes and accelerators prefer: results agree to about 1e-6.</summary>
    Float,
}

/// <summary>How <see cref="OnnxExport"/> writes a model.</summary>
public sealed record OnnxOptions
{
    /// <summary>The element type; <see cref="OnnxElementType.Double"/> by default.</summary>
    public OnnxElementType ElementType { get; init; } = OnnxElementType.Double;

    /// <summary>The name of the batch dimension m (the examples, columns in GraphDiff), symbolic in the file.</summary>
    public string BatchDimension { get; init; } = "m";

    /// <summary>The graph's name inside the file.</summary>
    public string GraphName { get; init; } = "graphdiff";

    /// <summary>The default options: float64, batch dimension "m".</summary>
    public static OnnxOptions Default { get; } = new();
}
