using System.Globalization;
using System.Text;

namespace GraphDiff.Nn;

/// <summary>
/// The CSV dialect both readers (<see cref="CsvTable"/> whole, <see cref="CsvBatches"/> streamed) share, so that
/// they accept and refuse the same files with the same messages: lines end in LF or CRLF; fields are separated by
/// commas, may be double-quoted ("" inside quotes is a quote) and are trimmed of spaces and tabs; no other control
/// character is allowed anywhere, because a NUL or an escape inside a number is a damaged or binary file, not data
/// (.NET's number parser would silently ignore a trailing NUL, and Trim would drop \v, \f and U+0085).
/// </summary>
internal static class CsvSyntax
{
    /// <summary>A control character that may not appear in a line: all but the tab (CR and LF end lines and never reach a field).</summary>
    public static bool IsForbidden(char ch) => char.IsControl(ch) && ch != '\t';

    /// <summary>
    /// The same test on UTF-8 bytes, for a pass over the raw file: C0 controls but tab, DEL, and C1 controls
    /// (encoded 0xC2 0x80–0x9F; <paramref name="previous"/> is the byte before). CR and LF are the caller's.
    /// </summary>
    public static bool IsForbidden(byte previous, byte b) =>
        b < 0x20 && b is not (byte)'\t' and not (byte)'\n' and not (byte)'\r' || b == 0x7F || previous == 0xC2 && b is >= 0x80 and <= 0x9F;

    /// <summary>The lines of <paramref name="reader"/>, split at LF only, each without its LF and one CR before it; a lone CR stays in its line (and is refused there).</summary>
    public static IEnumerable<string> Lines(TextReader reader)
    {
        var line = new StringBuilder();
        var buffer = new char[1 << 14];
        for (int read; (read = reader.Read(buffer)) > 0;)
        {
            int from = 0;
            for (int i = 0; i < read; i++)
            {
                if (buffer[i] != '\n') continue;
                line.Append(buffer, from, i - from);
                yield return WithoutCarriageReturn(line.ToString());
                line.Clear();
                from = i + 1;
            }
            line.Append(buffer, from, read - from);
        }
        if (line.Length > 0) yield return WithoutCarriageReturn(line.ToString());
    }

    /// <summary>A line without the one CR of a CRLF ending (a second CR is not a line ending, and is refused as a control character).</summary>
    public static string WithoutCarriageReturn(string line) => line.EndsWith('\r') ? line[..^1] : line;

    /// <summary>The header's column names and the index of the label column (<paramref name="labelColumn"/>, by default the last).</summary>
    public static (string[] Header, int Label) Header(string path, string line, string? labelColumn)
    {
        if (string.IsNullOrWhiteSpace(line)) throw new DataFormatException(path, "the file is empty: expected a header row.", 1);
        var header = Split(path, line, 1, header: null);
        // Columns are chosen by name (the label, features in messages): two of one name would make that a guess.
        for (int c = 1; c < header.Length; c++)
            if (Array.IndexOf(header, header[c], 0, c) is var first and >= 0)
                throw new DataFormatException(path, $"columns {first + 1} and {c + 1} are both named '{header[c]}'; give every column its own name.", 1);
        int label = labelColumn is null ? header.Length - 1 : Array.IndexOf(header, labelColumn);
        if (label < 0)
            throw new DataFormatException(path, $"no column named '{labelColumn}'; the columns are {string.Join(", ", header.Select(h => $"'{h}'"))}.", 1);
        return (header, label);
    }

    /// <summary>The numbers of one data line, checked against the header; errors name the file, the line and the column.</summary>
    public static double[] ParseRow(string path, string line, string[] header, int lineNumber)
    {
        var fields = Split(path, line, lineNumber, header);
        if (fields.Length != header.Length)
            throw new DataFormatException(path, $"{fields.Length} fields where the header has {header.Length}.", lineNumber);
        var values = new double[fields.Length];
        for (int c = 0; c < fields.Length; c++)
            if (!double.TryParse(fields[c], NumberStyles.Float, CultureInfo.InvariantCulture, out values[c]) || !double.IsFinite(values[c]))
                throw new DataFormatException(path, $"column '{header[c]}' holds \"{fields[c]}\", which is not a finite number.", lineNumber);
        return values;
    }

    /// <summary>The fields of <paramref name="line"/>; a control character is refused naming the field (by its column name once the header is known).</summary>
    public static string[] Split(string path, string line, int lineNumber, string[]? header)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (IsForbidden(ch)) throw ControlCharacter(path, line, lineNumber, header, fields.Count, i);
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

    private static DataFormatException ControlCharacter(string path, string line, int lineNumber, string[]? header, int field, int at)
    {
        char ch = line[at];
        string where = header is not null && field < header.Length ? $"column '{header[field]}' (field {field + 1})" : $"field {field + 1}";
        string name = ch switch { '\0' => " (NUL)", '\r' => " (a carriage return not followed by a line feed)", '\u001b' => " (ESC)", _ => "" };
        return new DataFormatException(path,
            $"{where} holds the control character U+{(int)ch:X4}{name} at character {at + 1} of the line; a CSV field may not hold control characters (is the file damaged, binary, or UTF-16?).",
            lineNumber);
    }
}
