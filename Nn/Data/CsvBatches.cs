using System.Text;

namespace GraphDiff.Nn;

/// <summary>
/// A numeric CSV file (a header row, one example per line, as <see cref="CsvTable"/> reads) served a batch at a
/// time, for files larger than memory: one pass records where each line starts (8 bytes per example), then each
/// batch seeks to its lines. X holds the feature columns, Y the label column; errors name the file and the line.
/// </summary>
public sealed class CsvBatches : IBatchSource, IDisposable
{
    private readonly StreamedBatches batches;
    private readonly string path;
    private readonly FileStream file;
    private readonly long[] starts;
    private readonly int[] lineNumbers;
    private readonly string[] header;
    private readonly int label;
    private readonly byte[] line = new byte[1 << 12];

    /// <summary>Opens <paramref name="path"/>, with <paramref name="labelColumn"/> (by default the last column) as Y.</summary>
    public static CsvBatches Open(string path, int batchSize, int seed = 0, string? labelColumn = null, string xName = "X", string yName = "Y")
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"CSV file not found: {path}", path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.RandomAccess);
        try
        {
            var (headerText, starts, lineNumbers) = Index(path, file);
            var header = CsvTable.Split(headerText);
            int label = labelColumn is null ? header.Length - 1 : Array.IndexOf(header, labelColumn);
            if (label < 0) throw new DataFormatException(path, $"no column named '{labelColumn}'; the columns are {string.Join(", ", header.Select(h => $"'{h}'"))}.", 1);
            if (starts.Length == 0) throw new DataFormatException(path, "there are no data rows after the header.");
            return new CsvBatches(path, file, starts, lineNumbers, header, label, batchSize, seed, xName, yName);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private CsvBatches(string path, FileStream file, long[] starts, int[] lineNumbers, string[] header, int label, int batchSize, int seed, string xName, string yName)
    {
        batches = new StreamedBatches([xName, yName], [header.Length - 1, 1], starts.Length, batchSize, seed, Read);
        this.path = path;
        this.file = file;
        this.starts = starts;
        this.lineNumbers = lineNumbers;
        this.header = header;
        this.label = label;
    }

    /// <summary>The feature columns' names, in the order of X's rows.</summary>
    public IReadOnlyList<string> FeatureNames => header.Where((_, c) => c != label).ToArray();

    /// <summary>The header, and where each non-empty data line starts with its line number.</summary>
    private static (string Header, long[] Starts, int[] LineNumbers) Index(string path, FileStream file)
    {
        var starts = new List<long>();
        var numbers = new List<int>();
        var headerBytes = new List<byte>();
        var buffer = new byte[1 << 16];
        long position = 0, lineStart = 0;
        int lineNumber = 1;
        bool inHeader = true, empty = true;
        for (int read; (read = file.Read(buffer)) > 0;)
        {
            for (int i = 0; i < read; i++, position++)
            {
                byte b = buffer[i];
                if (b == (byte)'\n')
                {
                    if (!inHeader && !empty) { starts.Add(lineStart); numbers.Add(lineNumber); }
                    inHeader = false;
                    empty = true;
                    lineStart = position + 1;
                    lineNumber++;
                    continue;
                }
                if (inHeader) headerBytes.Add(b);
                else if (b != (byte)'\r') empty = false;
            }
        }
        if (!inHeader && !empty) { starts.Add(lineStart); numbers.Add(lineNumber); }
        // A UTF-8 byte-order mark is not part of the first column's name (StreamReader, and so CsvTable, drop it too).
        var header = Encoding.UTF8.GetString(headerBytes.ToArray()).TrimStart('\uFEFF').TrimEnd('\r');
        if (string.IsNullOrWhiteSpace(header)) throw new DataFormatException(path, "the file is empty: expected a header row.", 1);
        return (header, starts.ToArray(), numbers.ToArray());
    }

    private void Read(int example, Tensor[] targets, int column)
    {
        file.Position = starts[example];
        long end = example + 1 < starts.Length ? starts[example + 1] : file.Length;
        int length = (int)Math.Min(end - starts[example], int.MaxValue);
        var bytes = length <= line.Length ? line : new byte[length];
        int got = file.ReadAtLeast(bytes.AsSpan(0, length), length, throwOnEndOfStream: false);
        var text = Encoding.UTF8.GetString(bytes, 0, got);
        int newline = text.IndexOf('\n');
        if (newline >= 0) text = text[..newline];
        var values = CsvTable.ParseRow(path, text.TrimEnd('\r'), header, lineNumbers[example]);
        var x = targets[0].Column(column);
        for (int c = 0, r = 0; c < values.Length; c++)
            if (c != label) x[r++] = values[c];
        targets[1][0, column] = values[label];
    }


    /// <inheritdoc />
    public IReadOnlyList<string> Names => batches.Names;

    /// <inheritdoc />
    public int Examples => batches.Examples;

    /// <inheritdoc />
    public int BatchCount => batches.BatchCount;

    /// <inheritdoc />
    public void BeginEpoch(int epoch) => batches.BeginEpoch(epoch);

    /// <inheritdoc />
    public IReadOnlyList<MathNet.Numerics.LinearAlgebra.Matrix<double>> Batch(int index) => batches.Batch(index);

    /// <summary>Closes the file.</summary>
    public void Dispose() => file.Dispose();
}
