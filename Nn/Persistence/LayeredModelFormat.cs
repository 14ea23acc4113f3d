using System.Text;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Nn;

/// <summary>
/// The model-file payload of a network built from a list of <see cref="Layer"/>s (a ConvNet): in place of the
/// layer-size count, −1; then the input's dimensions, each layer (type, activation, units, window, stride,
/// padding, momentum, ε), the cost, the training settings, and every parameter and running average with its name,
/// shape and values in storage order. Networks of layer sizes keep the payload they always had.
/// </summary>
internal static class LayeredModelFormat
{
    public const int Marker = -1;

    public static void Write(BinaryWriter writer, Network network)
    {
        var a = network.Architecture;
        writer.Write(Marker);
        var input = a.Input.Dimensions[..^1];
        writer.Write(input.Length);
        foreach (int d in input) writer.Write(d);
        writer.Write(a.Layers.Count);
        foreach (var layer in a.Layers)
        {
            writer.Write(layer.Type);
            writer.Write(layer.Activation.Name);
            foreach (int v in new[] { layer.Units, layer.Size, layer.Stride, layer.Padding }) writer.Write(v);
            writer.Write(layer.Momentum);
            writer.Write(layer.Epsilon);
        }
        writer.Write(a.Cost.ToString());
        writer.Write(network.L2);
        writer.Write(network.KeepProbability);
        writer.Write(network.Seed);
        writer.Write((byte)network.Precision);
        var variables = network.Parameters.Concat(network.RunningAverages).ToArray();
        writer.Write(variables.Length);
        foreach (var p in variables)
        {
            writer.Write(p.Name);
            writer.Write(p.Shape.Rank);
            foreach (int d in p.Shape.Dimensions) writer.Write(d);
            foreach (double v in Tensor.Of(p.Value).Array) writer.Write(v);
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote, after the marker; <paramref name="activation"/> and <paramref name="cost"/> parse names as the file's reader does.</summary>
    public static Network Read(BinaryReader reader, string path, long payloadLength, int version, Func<string, Activation> activation, Func<string, CostFunction> cost)
    {
        int rank = reader.ReadInt32();
        if (rank is not (1 or 3)) throw new DataFormatException(path, $"an input of {rank} dimensions; a network reads (n) or (n_H, n_W, n_C) examples.");
        var input = Shape.Of([.. Enumerable.Range(0, rank).Select(_ => reader.ReadInt32()), Shape.Batch]);
        int count = reader.ReadInt32();
        if (count is < 1 or > 10_000) throw new DataFormatException(path, $"implausible number of layers {count}.");
        var layers = new Layer[count];
        for (int l = 0; l < count; l++)
        {
            string type = reader.ReadString();
            var g = activation(reader.ReadString());
            int units = reader.ReadInt32(), size = reader.ReadInt32(), stride = reader.ReadInt32(), padding = reader.ReadInt32();
            double momentum = reader.ReadDouble(), epsilon = reader.ReadDouble();
            layers[l] = type switch
            {
                nameof(Layer.Dense) => Layer.Dense(units, g),
                nameof(Layer.Conv2D) => Layer.Conv2D(units, size, stride, padding, g),
                nameof(Layer.MaxPool) => Layer.MaxPool(size, stride, padding),
                nameof(Layer.AvgPool) => Layer.AvgPool(size, stride, padding),
                nameof(Layer.Flatten) => Layer.Flatten(),
                nameof(Layer.BatchNorm) => Layer.BatchNorm(momentum, epsilon, g),
                _ => throw new DataFormatException(path, $"unknown layer type '{type}' (layer {l + 1})."),
            };
        }
        var architecture = new Architecture(input, layers, cost(reader.ReadString()));
        double l2 = reader.ReadDouble(), keep = reader.ReadDouble();
        int seed = reader.ReadInt32();
        if (!(l2 >= 0 && double.IsFinite(l2)) || keep is not (> 0 and <= 1))
            throw new DataFormatException(path, $"training settings out of range: L2 λ = {l2}, dropout keep probability = {keep}.");
        var precision = version >= 3 ? ModelFile.ReadPrecision(reader, path) : Precision.Double;
        long needed = 0;
        var network = new Network(architecture, Initialization.Zeros, seed, l2, keep, precision);
        var variables = network.Parameters.Concat(network.RunningAverages).ToArray();
        foreach (var v in variables) needed += v.Shape.ElementCount() * 8;
        if (needed > payloadLength) throw new DataFormatException(path, $"its architecture {architecture} needs {needed:N0} bytes of parameters but the file holds {payloadLength:N0}.");
        int stored = reader.ReadInt32();
        if (stored != variables.Length)
            throw new DataFormatException(path, $"holds {stored} parameters and running averages but its architecture {architecture} has {variables.Length}.");
        foreach (var p in variables)
        {
            string name = reader.ReadString();
            int r = reader.ReadInt32();
            var dims = r is >= 2 and <= Shape.MaxRank ? Enumerable.Range(0, r).Select(_ => reader.ReadInt32()).ToArray() : [];
            if (name != p.Name || !dims.SequenceEqual(p.Shape.Dimensions))
                throw new DataFormatException(path, $"parameter '{name}' is ({string.Join(", ", dims)}), but the architecture needs '{p.Name}' of {p.Shape}.");
            var values = new double[p.Shape.Rows * p.Shape.Columns];
            for (int i = 0; i < values.Length; i++)
                if (!double.IsFinite(values[i] = reader.ReadDouble()))
                    throw new DataFormatException(path, $"parameter '{name}' holds {values[i]} at element {i}; a model must be finite.");
            p.Value = DenseMatrix.OfColumnMajor(p.Shape.Rows, p.Shape.Columns, values);
        }
        return network;
    }
}
