namespace GraphDiff.Onnx;

/// <summary>How <see cref="OnnxExport"/> writes a model.</summary>
public sealed record OnnxOptions
{
    /// <summary>
    /// False: inputs, outputs and parameters are float64, GraphDiff's own type, and ONNX Runtime reproduces
    /// GraphDiff's results to about 1e-15. True: float32, what most serving runtimes and accelerators prefer; results
    /// agree to about 1e-6. Null (the default): the network's precision when saving a network
    /// (<see cref="OnnxExport.Save(GraphDiff.Nn.Network, string, OnnxOptions?)"/>), float64 for any other graph.
    /// </summary>
    public bool? Float32 { get; init; }

    /// <summary>The name of the batch dimension m (the examples, columns in GraphDiff), symbolic in the file.</summary>
    public string BatchDimension { get; init; } = "m";

    /// <summary>The graph's name inside the file.</summary>
    public string GraphName { get; init; } = "graphdiff";

    /// <summary>The default options: a network's own precision (float64 for other graphs), batch dimension "m".</summary>
    public static OnnxOptions Default { get; } = new();
}
