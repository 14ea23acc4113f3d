using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace GraphDiff;

/// <summary>
/// A method and an IL offset read from the stack, resolved to a file and line on first use through the
/// assembly's portable PDB (beside the assembly, or embedded in it): what <c>StackTrace</c> with file
/// information would give, paid only for the locations that are shown.
/// </summary>
internal sealed class CallSite(MethodBase method, int ilOffset)
{
    private static readonly ConcurrentDictionary<Assembly, MetadataReader?> Readers = new();
    // One lookup per place in the code: a loop builds many nodes at the same call site.
    private static readonly ConcurrentDictionary<(MethodBase, int), Tuple<string, int>> Known = new();
    // A reference, so that threads reading it at once see either nothing or the whole answer.
    private Tuple<string, int>? resolved;

    public string File => (resolved ??= Resolve()).Item1;

    public int Line => (resolved ??= Resolve()).Item2;

    private Tuple<string, int> Resolve() => Known.GetOrAdd((method, ilOffset), static key =>
    {
        var (f, l) = Lookup(key.Item1, key.Item2);
        return Tuple.Create(f, l);
    });

    private static (string, int) Lookup(MethodBase method, int ilOffset)
    {
        try
        {
            var reader = Readers.GetOrAdd(method.Module.Assembly, Open);
            if (reader is null || ilOffset < 0) return ("", 0);
            var handle = MetadataTokens.MethodDefinitionHandle(method.MetadataToken);
            SequencePoint? best = null;
            foreach (var point in reader.GetMethodDebugInformation(handle).GetSequencePoints())
            {
                if (point.IsHidden) continue;
                if (point.Offset > ilOffset) break;
                best = point;
            }
            return best is { } p ? (reader.GetString(reader.GetDocument(p.Document).Name), p.StartLine) : ("", 0);
        }
        catch (Exception e) when (e is BadImageFormatException or IOException or InvalidOperationException or ArgumentException)
        {
            return ("", 0);   // no usable symbols: the location is unknown, as with StackTrace
        }
    }

    /// <summary>The assembly's portable PDB, from the file beside it or embedded in it; the providers live as long as the process.</summary>
    private static MetadataReader? Open(Assembly assembly)
    {
        if (string.IsNullOrEmpty(assembly.Location)) return null;
        var pdb = Path.ChangeExtension(assembly.Location, ".pdb");
        if (System.IO.File.Exists(pdb))
            return MetadataReaderProvider.FromPortablePdbStream(System.IO.File.OpenRead(pdb)).GetMetadataReader();
        using var pe = new PEReader(System.IO.File.OpenRead(assembly.Location));
        var embedded = pe.ReadDebugDirectory().FirstOrDefault(d => d.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
        return embedded.DataSize > 0 ? pe.ReadEmbeddedPortablePdbDebugDirectoryData(embedded).GetMetadataReader() : null;
    }
}
