using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff.Nn;

/// <summary>A numeric CSV file with a header row, split into features and a label column.</summary>
public sealed class CsvTable
{
    private CsvTable(string[] featureNames, string labelName, Dataset data)
    {
        FeatureNames = featureNames;
        LabelName = labelName;
        Data = data;
    }

    /// <summary>The feature columns' names, in the order of X's rows.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The label column's name.</summary>
    public string LabelName { get; }

    /// <summary>X (features, m) and Y (1, m).</summary>
    public Dataset Data { get; }

    /// <summary>
    /// Reads <paramref name="path"/>: a header row, then one example per line (LF or CRLF), comma-separated numbers
    /// (fields may be double-quoted). <paramref name="labelColumn"/> names the label column (by default the last one).
    /// Errors name the file, the line and the column; a control character other than tab anywhere in a line (a NUL
    /// in a number, say) is refused, not read past.
    /// </summary>
    public static CsvTable Read(string path, string? labelColumn = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"CSV file not found: {path}", path);
        try { return Parse(path, labelColumn); }
        catch (IOException e) when (e is not FileNotFoundException) { throw new DataFormatException(path, $"could not be read: {e.Message}", inner: e); }
        catch (UnauthorizedAccessException e) { throw new DataFormatException(path, $"could not be read: {e.Message}", inner: e); }
        catch (OutOfMemoryException e) { throw new DataFormatException(path, "is too large to read into memory.", inner: e); }
    }

    private static CsvTable Parse(string path, string? labelColumn)
    {
        using var reader = new StreamReader(path);
        using var lines = CsvSyntax.Lines(reader).GetEnumerator();
        var (header, label) = CsvSyntax.Header(path, lines.MoveNext() ? lines.Current : "", labelColumn);

        var rows = new List<double[]>();
        int lineNumber = 1;
        while (lines.MoveNext())
        {
            lineNumber++;
            if (lines.Current.Length == 0) continue;
            rows.Add(CsvSyntax.ParseRow(path, lines.Current, header, lineNumber));
        }
        if (rows.Count == 0) throw new DataFormatException(path, "there are no data rows after the header.", lineNumber);

        var featureColumns = Enumerable.Range(0, header.Length).Where(c => c != label).ToArray();
        var x = DenseMatrix.Create(featureColumns.Length, rows.Count, (i, j) => rows[j][featureColumns[i]]);
        var y = DenseMatrix.Create(1, rows.Count, (_, j) => rows[j][label]);
        return new CsvTable(featureColumns.Select(c => header[c]).ToArray(), header[label], new Dataset(x, y));
    }
}
