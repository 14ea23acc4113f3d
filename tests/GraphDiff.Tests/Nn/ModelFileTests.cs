using GraphDiff.Nn;

namespace GraphDiff.Tests.Nn;

public class ModelFileTests
{
    private static Network Trained()
    {
        var network = Network.Create([3, 4, 2], new NetworkOptions { Output = Activation.Softmax, Seed = 7 });
        var random = new Random(1);
        var x = TestData.Matrix(random, new Shape(3, 20), TestData.Any);
        var y = Dataset.OneHot(Enumerable.Range(0, 20).Select(j => j % 2).ToArray(), 2);
        Trainer.Train(network, x, y, new TrainingOptions { Epochs = 5, Optimizer = new Adam(0.01) });
        return network;
    }

    [Fact]
    public void SaveAndLoadRoundTripBitExactly()
    {
        using var dir = new TempDirectory();
        var network = Trained();
        ModelFile.Save(network, dir.File("m.gdmodel"));
        var loaded = ModelFile.Load(dir.File("m.gdmodel"));
        Assert.Equal(network.Architecture, loaded.Architecture);
        for (int k = 0; k < network.Parameters.Count; k++)
        {
            var a = Tensor.Of(network.Parameters[k].Value).Array;
            var b = Tensor.Of(loaded.Parameters[k].Value).Array;
            Assert.Equal(a.Select(BitConverter.DoubleToInt64Bits), b.Select(BitConverter.DoubleToInt64Bits));
        }
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void TheTrainingSettingsAreKept()
    {
        using var dir = new TempDirectory();
        var network = Network.Create([3, 5, 1], new NetworkOptions { L2 = 0.7, KeepProbability = 0.8, Seed = 9 });
        ModelFile.Save(network, dir.File("r.gdmodel"));
        var loaded = ModelFile.Load(dir.File("r.gdmodel"));
        Assert.Equal((0.7, 0.8, 9), (loaded.L2, loaded.KeepProbability, loaded.Seed));
        // The same training cost, dropout masks included: the first evaluation of each draws the same masks.
        var random = new Random(2);
        var x = TestData.Matrix(random, new Shape(3, 12), TestData.Any);
        var y = Dataset.Row(Enumerable.Range(0, 12).Select(j => j % 2).ToArray());
        Assert.Equal(network.Cost.Evaluate(new Feed { { network.X, x }, { network.Y, y } })[0, 0],
            loaded.Cost.Evaluate(new Feed { { loaded.X, x }, { loaded.Y, y } })[0, 0]);
        Assert.Equal(network.ComputeCost(x, y), loaded.ComputeCost(x, y));
    }

    [Fact]
    public void AVersion1FileStillLoadsAsANetworkWithoutRegularisation()
    {
        using var dir = new TempDirectory();
        var network = Trained();
        // Version 1's payload: sizes, activations, cost, then the parameters (no training settings).
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            var a = network.Architecture;
            writer.Write(a.LayerSizes.Count);
            foreach (int n in a.LayerSizes) writer.Write(n);
            foreach (var activation in a.Activations) writer.Write(activation.ToString());
            writer.Write(a.Cost.ToString());
            writer.Write(network.Parameters.Count);
            foreach (var p in network.Parameters)
            {
                writer.Write(p.Name);
                writer.Write(p.Shape.Rows);
                writer.Write(p.Shape.Columns);
                foreach (double v in Tensor.Of(p.Value).Array) writer.Write(v);
            }
        }
        ChecksummedFile.Write(dir.File("v1.gdmodel"), "GRAPHDIFF-MODEL\n"u8.ToArray(), 1, buffer.ToArray());
        var loaded = ModelFile.Load(dir.File("v1.gdmodel"));
        Assert.Equal((0.0, 1.0), (loaded.L2, loaded.KeepProbability));
        var x = TestData.Matrix(new Random(3), new Shape(3, 7), TestData.Any);
        Assert.True(network.PredictProbabilities(x).Enumerate().SequenceEqual(loaded.PredictProbabilities(x).Enumerate()));
    }

    [Fact]
    public void AFloatNetworkLoadsAsFloatAndAVersion2FileAsDouble()
    {
        using var dir = new TempDirectory();
        foreach (var network in new[] { Network.Create([3, 4, 1], new NetworkOptions { Precision = Precision.Single }),
                     new Network(new Architecture(Shape.Of(4, 4, 1, Shape.Batch), [Layer.Conv2D(2, 3), Layer.Flatten(), Layer.Dense(1, Activation.Sigmoid)], CostFunction.BinaryCrossEntropy), precision: Precision.Single) })
        {
            var path = dir.File("single.gdmodel");
            ModelFile.Save(network, path);
            var loaded = ModelFile.Load(path);
            Assert.Equal(Precision.Single, loaded.Precision);
            Assert.True(network.Parameters.Zip(loaded.Parameters).All(p => p.First.Value.Equals(p.Second.Value)));

            // The same file as version 2 wrote it: without the precision byte, which sits just after the seed.
            var payload = ChecksummedFile.Read(path, "GRAPHDIFF-MODEL\n"u8.ToArray(), ModelFile.FormatVersion, "model");
            int at = PrecisionOffset(payload, network);
            Assert.Equal((byte)Precision.Single, payload[at]);
            ChecksummedFile.Write(dir.File("v2.gdmodel"), "GRAPHDIFF-MODEL\n"u8.ToArray(), 2, [.. payload[..at], .. payload[(at + 1)..]]);
            Assert.Equal(Precision.Double, ModelFile.Load(dir.File("v2.gdmodel")).Precision);

            payload[at] = 9;
            ChecksummedFile.Write(dir.File("bad.gdmodel"), "GRAPHDIFF-MODEL\n"u8.ToArray(), ModelFile.FormatVersion, payload);
            var error = Assert.Throws<DataFormatException>(() => ModelFile.Load(dir.File("bad.gdmodel")));
            Assert.Contains("unknown precision 9", error.Message);
        }
    }

    /// <summary>Where the precision byte is: found by saving the same network in double and comparing.</summary>
    private static int PrecisionOffset(byte[] single, Network network)
    {
        using var dir = new TempDirectory();
        var twin = network.Architecture.IsDense
            ? Network.Create(network.Architecture.LayerSizes, new NetworkOptions { Hidden = network.Architecture.Activations[0], Output = network.Architecture.Activations[^1] })
            : new Network(network.Architecture);
        foreach (var (p, q) in twin.Parameters.Zip(network.Parameters)) p.Value = q.Value.Clone();
        ModelFile.Save(twin, dir.File("d.gdmodel"));
        var wide = ChecksummedFile.Read(dir.File("d.gdmodel"), "GRAPHDIFF-MODEL\n"u8.ToArray(), ModelFile.FormatVersion, "model");
        Assert.Equal(single.Length, wide.Length);
        int[] differ = Enumerable.Range(0, single.Length).Where(i => single[i] != wide[i]).ToArray();
        Assert.Single(differ);
        return differ[0];
    }

    [Fact]
    public void ACorruptedFileIsRefusedNamingIt()
    {
        using var dir = new TempDirectory();
        ModelFile.Save(Trained(), dir.File("m.gdmodel"));
        var bytes = File.ReadAllBytes(dir.File("m.gdmodel"));
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(dir.File("m.gdmodel"), bytes);
        var error = Assert.Throws<DataFormatException>(() => ModelFile.Load(dir.File("m.gdmodel")));
        Assert.Contains("m.gdmodel", error.Message);
        Assert.Contains("corrupted", error.Message);
    }

    [Fact]
    public void TruncatedWrongVersionAndForeignFilesAreRefused()
    {
        using var dir = new TempDirectory();
        ModelFile.Save(Trained(), dir.File("m.gdmodel"));
        var bytes = File.ReadAllBytes(dir.File("m.gdmodel"));

        File.WriteAllBytes(dir.File("short.gdmodel"), bytes[..(bytes.Length - 100)]);
        Assert.Contains("truncated", Assert.Throws<DataFormatException>(() => ModelFile.Load(dir.File("short.gdmodel"))).Message);

        var future = (byte[])bytes.Clone();
        BitConverter.GetBytes(99).CopyTo(future, 16);
        Assert.Contains("version 99", Assert.Throws<DataFormatException>(() => ModelFile.Load(dir.File("future.gdmodel").Also(p => File.WriteAllBytes(p, future)))).Message);

        File.WriteAllText(dir.File("notes.txt"), "hello");
        Assert.Contains("not a GraphDiff model", Assert.Throws<DataFormatException>(() => ModelFile.Load(dir.File("notes.txt"))).Message);
    }

    [Fact]
    public void ParametersThatDoNotFitTheArchitectureAreRefused()
    {
        using var dir = new TempDirectory();
        var network = Trained();
        ModelFile.Save(network, dir.File("m.gdmodel"));
        var bytes = File.ReadAllBytes(dir.File("m.gdmodel"));
        // Rewrite n[1] (the second layer size, just after the count) from 4 to 5 and fix the checksum:
        // the file is then well-formed but its W1 (4×3) no longer fits the architecture's 5×3.
        int payloadStart = 16 + 8;
        BitConverter.GetBytes(5).CopyTo(bytes, payloadStart + 8);
        int length = BitConverter.ToInt32(bytes, 20);
        System.Security.Cryptography.SHA256.HashData(bytes.AsSpan(payloadStart, length)).CopyTo(bytes, payloadStart + length);
        File.WriteAllBytes(dir.File("mismatch.gdmodel"), bytes);
        var error = Assert.Throws<DataFormatException>(() => ModelFile.Load(dir.File("mismatch.gdmodel")));
        Assert.Contains("W1", error.Message);
        Assert.Contains("4×3", error.Message);
        Assert.Contains("5×3", error.Message);
    }

    [Fact]
    public void AFailedSaveLeavesThePreviousFileIntact()
    {
        using var dir = new TempDirectory();
        var path = dir.File("m.gdmodel");
        ModelFile.Save(Trained(), path);
        var before = File.ReadAllBytes(path);
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s => { s.Write(new byte[1000]); throw new InvalidOperationException("disk full"); }));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp", SearchOption.AllDirectories).Concat(Directory.GetFiles(dir.Path, ".*")));
        Assert.NotNull(ModelFile.Load(path));
    }
}

internal static class FunctionalExtensions
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
