using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using GraphDiff.Nn;
using GraphDiff.Tests.Nn;
using MathNet.Numerics.LinearAlgebra.Double;
using Xunit.Abstractions;

namespace GraphDiff.Tests.Reliability;

/// <summary>
/// Seeded mutations of every file the library reads: bit flips, truncation, insertion, deletion, and header fields
/// set to 0, 1, 2³¹−1, 2³²−1 and values whose products overflow. Every outcome must be either the right data or a
/// <see cref="DataFormatException"/> naming the file: no other exception, no hang, no memory blow-up.
/// For the checksummed files (model, graph), half of the mutations get their checksum recomputed so that the
/// parser itself meets them. The normal suite runs a few thousand cases; set GRAPHDIFF_FUZZ_CASES (cases per file
/// kind) for a longer run, e.g. <c>GRAPHDIFF_FUZZ_CASES=20000 dotnet test --filter Category=Fuzz</c>; the figures
/// (files, refusals, reads, other exceptions, time) go to the test output.
/// </summary>
[Trait("Category", "Fuzz")]
public class FileFuzzTests(ITestOutputHelper output)
{
    private static int CasesPerKind => int.TryParse(Environment.GetEnvironmentVariable("GRAPHDIFF_FUZZ_CASES"), out int n) && n > 0 ? n : 1000;

    /// <summary>Most memory one read of these small files may take; a wrapped size would ask for gigabytes.</summary>
    private const long AllocationLimit = 64L << 20;

    private static readonly uint[] HostileFields = [0, 1, 2, 255, 256, 46_341, 65_536, 1u << 30, int.MaxValue, uint.MaxValue, 0x8000_0000];

    private sealed record Kind(string Name, byte[] Valid, bool Gzip, int[] HeaderOffsets, bool BigEndian, Action<string, byte[]> ReadAndCheck, bool Checksummed = false);

    private static byte[] Gzip(byte[] plain)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest)) gzip.Write(plain);
        return buffer.ToArray();
    }

    private static byte[] Gunzip(byte[] packed)
    {
        using var gzip = new GZipStream(new MemoryStream(packed), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        return plain.ToArray();
    }

    private static Kind[] Kinds(TempDirectory dir)
    {
        var random = new Random(1);
        var images = DenseMatrix.Create(12, 5, (_, _) => random.Next(256) / 255.0);
        IdxFile.WriteImages(dir.File("seed-images.idx"), images, 4, 3);
        IdxFile.WriteLabels(dir.File("seed-labels.idx"), [0, 1, 2, 9, 255]);
        var imageBytes = File.ReadAllBytes(dir.File("seed-images.idx"));
        var labelBytes = File.ReadAllBytes(dir.File("seed-labels.idx"));
        var network = Network.Create([3, 4, 2], new NetworkOptions { Output = Activation.Softmax, Hidden = Activation.Tanh });
        ModelFile.Save(network, dir.File("seed.gdmodel"));
        GraphFile.Save(network.Model, dir.File("seed.graph"));
        var csv = "a,b,\"c d\",label\n1,2.5,-3e2,1\n0.5,6,4,0\n7,8,9,1\n"u8.ToArray();

        // Plain IDX: a successful read must give back exactly the file's bytes when written again.
        void CheckImages(string path, byte[] plain)
        {
            var x = IdxFile.ReadImages(path);
            int rows = BinaryPrimitives.ReadInt32BigEndian(plain.AsSpan(8)), columns = BinaryPrimitives.ReadInt32BigEndian(plain.AsSpan(12));
            IdxFile.WriteImages(path + ".again", x, rows, columns);
            Assert.True(plain.AsSpan().SequenceEqual(File.ReadAllBytes(path + ".again")), "images read differ from the file's bytes");
        }
        void CheckLabels(string path, byte[] plain)
        {
            var labels = IdxFile.ReadLabels(path);
            Assert.Equal(plain.AsSpan(8).ToArray().Select(b => (int)b), labels);
        }
        void CheckCsv(string path, byte[] _)
        {
            var table = CsvTable.Read(path);
            Assert.Equal(table.FeatureNames.Count, table.Data.X.RowCount);
            Assert.True(Tensor.Of(table.Data.X).FirstNonFinite() is null && Tensor.Of(table.Data.Y).FirstNonFinite() is null);
        }
        void CheckModel(string path, byte[] _)
        {
            var net = ModelFile.Load(path);
            Assert.All(net.Parameters, p => Assert.Null(Tensor.Of(p.Value).FirstNonFinite()));
        }
        void CheckGraph(string path, byte[] _)
        {
            var model = GraphFile.LoadModel(path);
            Assert.All(model.Parameters, p => Assert.Null(Tensor.Of(p.Value).FirstNonFinite()));
        }

        return
        [
            new("IDX images", imageBytes, false, [4, 8, 12], true, CheckImages),
            new("IDX images (gzip)", imageBytes, true, [4, 8, 12], true, CheckImages),
            new("IDX labels", labelBytes, false, [4], true, CheckLabels),
            new("IDX labels (gzip)", labelBytes, true, [4], true, CheckLabels),
            new("CSV", csv, false, [], false, CheckCsv),
            // Model: the version and length fields, then fields inside the payload (layer count and sizes).
            new("model", File.ReadAllBytes(dir.File("seed.gdmodel")), false, [16, 20, 24, 28, 32, 36], false, CheckModel, Checksummed: true),
            // Graph: the version and length fields, then the node count (after the model flag) and the first node's fields.
            new("graph", File.ReadAllBytes(dir.File("seed.graph")), false, [16, 20, 25, 29, 33, 37], false, CheckGraph, Checksummed: true),
        ];
    }

    /// <summary>One seeded mutation of <paramref name="plain"/>; returns the mutated bytes and what was done.</summary>
    private static (byte[] Bytes, string What) Mutate(Kind kind, byte[] plain, Random random)
    {
        var (bytes, what) = MutateBytes(kind, plain, random);
        // Half of the time, a checksummed file's checksum is recomputed so that the parser itself meets the damage.
        if (kind.Checksummed && random.Next(2) == 0 && bytes.Length >= 24)
        {
            int length = BitConverter.ToInt32(bytes, 20);
            if (length >= 0 && 24L + length + 32 == bytes.Length)
            {
                SHA256.HashData(bytes.AsSpan(24, length)).CopyTo(bytes, 24 + length);
                return (bytes, what + ", checksum recomputed");
            }
        }
        return (bytes, what);
    }

    private static (byte[] Bytes, string What) MutateBytes(Kind kind, byte[] plain, Random random)
    {
        var bytes = (byte[])plain.Clone();
        switch (random.Next(6))
        {
            case 0:
            {
                int flips = 1 + random.Next(8);
                for (int f = 0; f < flips; f++) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return (bytes, $"{flips} bit flips");
            }
            case 1:
            {
                int length = random.Next(bytes.Length);
                return (bytes[..length], $"truncated to {length} bytes");
            }
            case 2:
            {
                int at = random.Next(bytes.Length + 1), count = 1 + random.Next(64);
                var extra = new byte[count];
                random.NextBytes(extra);
                return ([.. bytes[..at], .. extra, .. bytes[at..]], $"{count} bytes inserted at {at}");
            }
            case 3:
            {
                int at = random.Next(bytes.Length), count = 1 + random.Next(Math.Min(64, bytes.Length - at));
                return ([.. bytes[..at], .. bytes[(at + count)..]], $"{count} bytes deleted at {at}");
            }
            default:
            {
                if (kind.HeaderOffsets.Length == 0) goto case 0;
                int offset = kind.HeaderOffsets[random.Next(kind.HeaderOffsets.Length)];
                uint value = HostileFields[random.Next(HostileFields.Length)];
                if (offset + 4 > bytes.Length) return (bytes, "unchanged");
                if (kind.BigEndian) BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(offset), value);
                else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), value);
                return (bytes, $"field at {offset} set to {value}");
            }
        }
    }

    [Fact]
    public void EveryReaderGivesTheRightDataOrANamedFormatError()
    {
        using var dir = new TempDirectory();
        var failures = new List<string>();
        var others = new Dictionary<string, int>();
        int files = 0, refused = 0, read = 0;
        var clock = Stopwatch.StartNew();
        foreach (var kind in Kinds(dir))
        {
            var random = new Random(kind.Name.Length * 7919);
            var path = dir.File("case-" + kind.Name.Replace(' ', '-').Replace("(", "").Replace(")", ""));
            for (int k = 0; k < CasesPerKind && failures.Count < 10; k++)
            {
                var (plain, what) = Mutate(kind, kind.Valid, random);
                // For gzip files, mutate the compressed bytes half of the time and the content the other half.
                byte[] file = plain;
                if (kind.Gzip)
                {
                    if (random.Next(2) == 0) file = Gzip(plain);
                    else { (file, what) = Mutate(kind with { HeaderOffsets = [] }, Gzip(kind.Valid), random); what = "gzip stream: " + what; plain = TryGunzip(file) ?? []; }
                }
                File.WriteAllBytes(path, file);
                files++;
                long before = GC.GetAllocatedBytesForCurrentThread();
                var caseClock = Stopwatch.StartNew();
                try { kind.ReadAndCheck(path, plain); read++; }
                catch (DataFormatException e) when (e.Path == path) { refused++; }
                catch (Exception e)
                {
                    others[e.GetType().Name] = others.GetValueOrDefault(e.GetType().Name) + 1;
                    failures.Add($"{kind.Name}, case {k} ({what}): {e.GetType().Name}: {e.Message}");
                }
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                if (allocated > AllocationLimit) failures.Add($"{kind.Name}, case {k} ({what}): allocated {allocated:N0} bytes");
                if (caseClock.Elapsed > TimeSpan.FromSeconds(5)) failures.Add($"{kind.Name}, case {k} ({what}): took {caseClock.Elapsed.TotalSeconds:F1} s");
            }
        }
        output.WriteLine($"{files:N0} mutated files in {clock.Elapsed.TotalSeconds:F1} s: {refused:N0} refused with DataFormatException naming the file, {read:N0} read and checked, " +
                         $"other exceptions: {(others.Count == 0 ? "none" : string.Join(", ", others.Select(o => $"{o.Key} ×{o.Value}")))}.");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(files, refused + read);
        // The time limit scales with the count asked for: a few thousand cases in CI, far more in a long local run.
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3) * Math.Max(1, CasesPerKind / 1000), $"the fuzz run took {clock.Elapsed}");
    }

    private static byte[]? TryGunzip(byte[] packed)
    {
        try { return Gunzip(packed); }
        catch (InvalidDataException) { return null; }
    }
}
