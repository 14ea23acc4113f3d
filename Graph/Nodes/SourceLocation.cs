using System.Diagnostics;
using System.Reflection;

namespace GraphDiff;

/// <summary>Where in the user's source a node was created; shape errors quote it.</summary>
public readonly struct SourceLocation : IEquatable<SourceLocation>
{
    private readonly string? file;
    private readonly int line;
    // A call site read from the stack whose file and line are looked up in the program's symbols only when
    // asked for: most nodes never need theirs, and the lookup costs more than the walk.
    private readonly CallSite? site;

    /// <summary>A location given by file and line.</summary>
    /// <param name="File">The source file path (may be empty when unknown).</param>
    /// <param name="Line">The line number, or 0 when unknown.</param>
    public SourceLocation(string File, int Line)
    {
        file = File;
        line = Line;
        site = null;
    }

    private SourceLocation(CallSite site)
    {
        file = null;
        line = 0;
        this.site = site;
    }

    /// <summary>The source file path (empty when unknown).</summary>
    public string File => site is { } s ? s.File : file ?? "";

    /// <summary>The line number, or 0 when unknown.</summary>
    public int Line => site is { } s ? s.Line : line;

    /// <inheritdoc />
    public bool Equals(SourceLocation other) => File == other.File && Line == other.Line;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SourceLocation other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(File, Line);

    /// <summary>Equal file and line.</summary>
    public static bool operator ==(SourceLocation left, SourceLocation right) => left.Equals(right);

    /// <summary>Different file or line.</summary>
    public static bool operator !=(SourceLocation left, SourceLocation right) => !left.Equals(right);

    /// <summary>An unknown location.</summary>
    public static SourceLocation Unknown => new("", 0);

    /// <summary>True when the file and line are known.</summary>
    public bool IsKnown => Line > 0 && File.Length > 0;

    /// <summary>Formats as <c>File.cs:41</c> (file name only), or <c>unknown location</c>.</summary>
    public override string ToString() => IsKnown ? $"{Path.GetFileName(File)}:{Line}" : "unknown location";

    [ThreadStatic] private static SourceLocation? ambient;

    /// <summary>
    /// The location a node gets: an ambient one set by the library while it builds nodes on the user's behalf
    /// (the gradient graph is attributed to the <c>Gradients.Of</c> call), else the caller's.
    /// </summary>
    internal static SourceLocation Resolve(string file, int line) => ambient ?? new SourceLocation(file, line);

    /// <summary>The ambient location if a scope is active (see <see cref="Use(SourceLocation)"/>), else <paramref name="location"/>.</summary>
    internal static SourceLocation Resolve(SourceLocation location) => ambient ?? location;

    /// <summary>
    /// For nodes built by C# operators, which cannot take caller-info parameters: the ambient location if a scope
    /// is active, else the first stack frame outside GraphDiff's assemblies. The stack is walked without symbols
    /// (a few microseconds per node at graph-building time); the file and line are looked up in the program's
    /// portable PDB the first time they are read. <see cref="Unknown"/> when <see cref="CaptureForOperators"/> is off.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public static SourceLocation FromStack()
    {
        if (ambient is { } a) return a;
        if (!CaptureForOperators) return Unknown;
        var trace = new StackTrace(1, fNeedFileInfo: false);
        for (int k = 0; k < trace.FrameCount; k++)
        {
            var frame = trace.GetFrame(k);
            var method = frame?.GetMethod();
            var assembly = method?.DeclaringType?.Assembly ?? method?.Module.Assembly;
            if (method is null || assembly is null || IsLibraryAssembly(assembly)) continue;
            return new SourceLocation(new CallSite(method, frame!.GetILOffset()));
        }
        return Unknown;
    }

    /// <summary>
    /// <see cref="FromStack()"/> for a caller whose own frames are known, as a library's operators are: when the frame
    /// <paramref name="libraryFrames"/> above the caller's is outside GraphDiff's assemblies, it is the first such
    /// frame and is read alone, a walk that builds no frame objects (about half the memory of
    /// <see cref="FromStack()"/>, and less time on deep stacks); otherwise the stack is scanned. The caller and the
    /// frames between it and the user's must never be inlined or tail-called away
    /// (<c>MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization</c>), or the line would be the user's caller's.
    /// </summary>
    /// <param name="libraryFrames">The library's frames from the caller of this method to the user's frame, the caller included.</param>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public static SourceLocation FromStack(int libraryFrames)
    {
        if (ambient is { } a) return a;
        if (!CaptureForOperators) return Unknown;
        var frame = new StackFrame(libraryFrames + 1, false);
        var method = frame.GetMethod();
        var assembly = method?.DeclaringType?.Assembly ?? method?.Module.Assembly;
        if (method is null || assembly is null || IsLibraryAssembly(assembly)) return FromStack();
        return new SourceLocation(new CallSite(method, frame.GetILOffset()));
    }

    /// <summary>
    /// Whether nodes built by operators (<c>a + b</c>) record the user's source line by walking the stack.
    /// On by default; turn off to build very large graphs faster.
    /// </summary>
    public static bool CaptureForOperators { get; set; } = true;

    private static readonly HashSet<string> LibraryAssemblies = ["GraphDiff.Tensors", "GraphDiff.Graph", "GraphDiff.Ops", "GraphDiff.Nn", "GraphDiff.Plots"];

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Assembly, bool> LibraryByAssembly = new();

    private static bool IsLibraryAssembly(Assembly assembly) =>
        LibraryByAssembly.GetOrAdd(assembly, static a => a.GetName().Name is { } name && LibraryAssemblies.Contains(name));

    /// <summary>
    /// Attributes every node built on this thread until the scope is disposed to <paramref name="location"/>.
    /// For code that builds graphs on its caller's behalf (a layer, a model, differentiation): its nodes then
    /// point at the caller's line, which is what a shape error should show. Scopes nest.
    /// </summary>
    public static IDisposable Use(SourceLocation location) => new Scope(location);

    /// <summary>
    /// Attributes every node built until disposal to the caller's line (see <see cref="Use(SourceLocation)"/>);
    /// an enclosing scope, if any, is kept, so the outermost caller wins.
    /// </summary>
    public static IDisposable UseCaller([System.Runtime.CompilerServices.CallerFilePath] string file = "", [System.Runtime.CompilerServices.CallerLineNumber] int line = 0) =>
        new Scope(Resolve(file, line));

    /// <summary>What <see cref="Use(SourceLocation)"/> does, without an object: the enclosing attribution, to give back to <see cref="Leave"/>.</summary>
    internal static SourceLocation? Enter(SourceLocation location)
    {
        var previous = ambient;
        ambient = location;
        return previous;
    }

    /// <summary>Ends the attribution <see cref="Enter"/> began.</summary>
    internal static void Leave(SourceLocation? previous) => ambient = previous;

    /// <summary>An active attribution of new nodes to a location; dispose it to end it.</summary>
    private sealed class Scope : IDisposable
    {
        private readonly SourceLocation? previous;

        public Scope(SourceLocation location)
        {
            previous = ambient;
            ambient = location;
        }

        /// <summary>Restores the attribution that was active before this scope.</summary>
        public void Dispose() => ambient = previous;
    }
}
