namespace GraphDiff.Nn;

/// <summary>A data file that cannot be read as what it claims to be; the message names the file (and the line for text files).</summary>
public sealed class DataFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public DataFormatException(string path, string problem, int? line = null, Exception? inner = null)
        : base(line is { } l ? $"{path}, line {l}: {problem}" : $"{path}: {problem}", inner)
    {
        Path = path;
        Line = line;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The 1-based line, for text files.</summary>
    public int? Line { get; }
}
