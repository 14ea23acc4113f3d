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
    private byte[] line = new byte[1 << 12];   // grown for a longer line

    /// <summary>Opens <paramref name="path"/>, with <paramref name="labelColumn"/> (by default the last column) as Y.</summary>
    public static CsvBatches Open(string path, int batchSize, int seed = 0, string? labelColumn = null, string xName = "X", string yName = "Y")
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"CSV file not found: {path}", path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.RandomAccess);
        try
        {
            var (headerText, starts, lineNumbers, badLine) = Index(file);
            var (header, label) = CsvSyntax.Header(path, headerText, labelColumn);
            // The index pass saw a control character: read that line back so that the parser names the column and the character.
            if (badLine is { } bad)
            {
                var buffer = new byte[1 << 12];
                CsvSyntax.ParseRow(path, ReadLine(path, file, bad.Start, file.Length, bad.Number, ref buffer), header, bad.Number);
                throw new DataFormatException(path, "holds a control character.", bad.Number);   // not reached: the parser refuses the line
            }
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

    /// <summary>
    /// The header, where each non-empty data line starts with its line number, and the first line (if any) holding a
    /// control character (<see cref="CsvSyntax"/>); indexing stops at the end of that line (so that a header is
    /// whole), and a damaged file is refused on opening, not at the batch that meets the line.
    /// </summary>
    private static (string Header, long[] Starts, int[] LineNumbers, (long Start, int Number)? BadLine) Index(FileStream file)
    {
        var starts = new List<long>();
        var numbers = new List<int>();
        var headerBytes = new List<byte>();
        var buffer = new byte[1 << 16];
        long position = 0, lineStart = 0;
        int lineNumber = 1;
        bool inHeader = true, empty = true, carriageReturn = false;
        byte previous = 0;
        (long, int)? bad = null;
        for (int read; (read = file.Read(buffer)) > 0;)
        {
            for (int i = 0; i < read; i++, position++)
            {
                byte b = buffer[i];
                // A CR is a line ending only before an LF (or at the end of the file); CsvTable reads lines the same way.
                if (CsvSyntax.IsForbidden(previous, b) || carriageReturn && b != (byte)'\n') bad ??= (lineStart, lineNumber);
                previous = b;
                carriageReturn = b == (byte)'\r';
                if (b == (byte)'\n')
                {
                    if (bad is not null) return (HeaderText(headerBytes), [], [], bad);
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
        return (HeaderText(headerBytes), starts.ToArray(), numbers.ToArray(), bad);
    }

    // A UTF-8 byte-order mark is not part of the first column's name (StreamReader, and so CsvTable, drop it too).
    private static string HeaderText(List<byte> bytes) => CsvSyntax.WithoutCarriageReturn(Encoding.UTF8.GetString(bytes.ToArray()).TrimStart('\uFEFF'));

    /// <summary>
    /// The text of line <paramref name="lineNumber"/>, starting at <paramref name="start"/> and read at most to
    /// <paramref name="end"/>, without its line ending; <paramref name="buffer"/> is reused, and grown for a long line.
    /// </summary>
    private static string ReadLine(string path, FileStream file, long start, long end, int lineNumber, ref byte[] buffer)
    {
        file.Position = start;
        int length = 0;
        for (int newline = -1; newline < 0 && length < end - start;)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length >= 1 << 30) throw new DataFormatException(path, "the line is longer than 1 GiB.", lineNumber);
                Array.Resize(ref buffer, buffer.Length * 2);
            }
            int got = file.Read(buffer, length, (int)Math.Min(buffer.Length - length, end - start - length));
            if (got == 0) break;
            newline = Array.IndexOf(buffer, (byte)'\n', length, got);
            length = newline >= 0 ? newline : length + got;
        }
        return CsvSyntax.WithoutCarriageReturn(Encoding.UTF8.GetString(buffer, 0, length));
    }

    private void Read(int example, Tensor[] targets, int column)
    {
        long end = example + 1 < starts.Length ? starts[example + 1] : file.Length;
        var values = CsvSyntax.ParseRow(path, ReadLine(path, file, starts[example], end, lineNumbers[example], ref line), header, lineNumbers[example]);
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
