namespace GraphDiff;

/// <summary>
/// How elementwise work over n elements is split into contiguous parts for several cores. The ranges cover
/// [0, n) exactly, in order, without overlap: every part but the last has the same aligned length, and the last
/// takes whatever remains (possibly nothing).
/// </summary>
internal static class WorkSplit
{
    /// <summary>The range of part <paramref name="part"/> of <paramref name="parts"/>, with every start a multiple of <paramref name="alignment"/>.</summary>
    public static (int Start, int Length) Range(int n, int parts, int part, int alignment)
    {
        if (parts <= 0) throw new ArgumentOutOfRangeException(nameof(parts));
        if ((uint)part >= (uint)parts) throw new ArgumentOutOfRangeException(nameof(part));
        // Rounding the share *up* (then to the alignment) makes parts·chunk ≥ n, so nothing is left over.
        long chunk = ((long)n + parts - 1) / parts;
        chunk = (chunk + alignment - 1) / alignment * alignment;
        long start = Math.Min(n, chunk * part);
        long end = part == parts - 1 ? n : Math.Min(n, start + chunk);
        return ((int)start, (int)(end - start));
    }
}
