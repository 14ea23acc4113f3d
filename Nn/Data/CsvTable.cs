using System.Globalization;
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
    /// Reads <paramref name="path"/>: a header row, then one example per line, comma-separated numbers (fields may
    /// be double-quoted). <paramref name="labelColumn"/> names the label column (by default the last one).
    /// Errors name the file, the line and the column.
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
        var headerLine = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(headerLine)) throw new DataFormatException(path, "the file is empty: expected a header row.", 1);
        var header = Split(headerLine);
        int label = labelColumn is null ? header.Length - 1 : Array.IndexOf(header, labelColumn);
        if (label < 0)
            throw new DataFormatException(path, $"no column named '{labelColumn}'; the columns are {string.Join(", ", header.Select(h => $"'{h}'"))}.", 1);

        var rows = new List<double[]>();
        int lineNumber = 1;
        for (string? line; (line = reader.ReadLine()) is not null;)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            rows.Add(ParseRow(path, line, header, lineNumber));
        }
        if (rows.Count == 0) throw new DataFormatException(path, "there are no data rows after the header.", lineNumber);

        var featureColumns = Enumerable.Range(0, header.Length).Where(c => c != label).ToArray();
        var x = DenseMatrix.Create(featureColumns.Length, rows.Count, (i, j) => rows[j][featureColumns[i]]);
        var y = DenseMatrix.Create(1, rows.Count, (_, j) => rows[j][label]);
        return new CsvTable(featureColumns.Select(c => header[c]).ToArray(), header[label], new Dataset(x, y));
    }

    /// <summary>The numbers of one data line, checked against the header; errors name the file, the line and the column.</summary>
    internal static double[] ParseRow(string path, string line, string[] header, int lineNumber)
    {
        var fields = Split(line);
        if (fields.Length != header.Length)
            throw new DataFormatException(path, $"{fields.Length} fields where the header has {header.Length}.", lineNumber);
        var values = new double[fields.Length];
        for (int c = 0; c < fields.Length; c++)
            if (!double.TryParse(fields[c], NumberStyles.Float, CultureInfo.InvariantCulture, out values[c]) || !double.IsFinite(values[c]))
                throw new DataFormatException(path, $"column '{header[c]}' holds \"{fields[c]}\", which is not a finite number.", lineNumber);
        return values;
    }

    internal static string[] Split(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else current.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { fields.Add(current.ToString().Trim()); current.Clear(); }
            else current.Append(ch);
        }
        fields.Add(current.ToString().Trim());
        return fields.ToArray();
    }
}
