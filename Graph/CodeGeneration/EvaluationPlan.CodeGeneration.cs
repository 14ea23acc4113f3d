using System.Numerics;
using System.Runtime.CompilerServices;
using GraphDiff.Tensors;

namespace GraphDiff;

// Code generated for the plan's 1×1 steps: a scalar graph runs as straight-line code instead of one interpreter step per node.
public sealed partial class EvaluationPlan
{
    /// <summary>
    /// When true (the default) and the runtime can generate code, the plan's 1×1 steps (a scalar graph, or the
    /// scalar parts of a larger one) run as straight-line code generated at the plan's second run, and every other
    /// step (products, reductions, convolutions) as before. Results are bit for bit the interpreter's, and so are
    /// errors: a NaN or ∞ found in generated code is diagnosed by running the interpreter. False runs the interpreter
    /// only (the reference the tests compare against). Where dynamic code is not supported (an AOT-compiled app),
    /// the plan always interprets.
    /// </summary>
    public bool UseGeneratedCode
    {
        get => useGeneratedCode;
        set { useGeneratedCode = value; ClearLayouts(); }
    }

    private bool useGeneratedCode = true;

    /// <summary>
    /// The code the plan generated, as C#-like text: one method per run of 1×1 steps, a line per step
    /// (<c>t5 = t3 * v[4];   // Multiply, Program.cs:12</c>; <c>t</c> values live in registers, <c>v</c> in the
    /// plan's array). <c>null</c> while there is none: code is generated in the background from the plan's second run,
    /// and appears at the first run after it is ready (a plan of 10,000 steps takes about half a second); and
    /// <c>null</c> for a plan without 1×1 steps, or with <see cref="UseGeneratedCode"/> false.
    /// </summary>
    public string? GeneratedCode => !useGeneratedCode ? null
        : generationFailure is { } failure ? $"// no code: generating it failed ({failure.GetType().Name}: {failure.Message}); the plan interprets"
        : (doubles?.Code?.Chunks.Length > 0 ? doubles.Code.Listing() : null) ?? (singles?.Code?.Chunks.Length > 0 ? singles.Code.Listing() : null);

    /// <summary>Runs interpreted before code is generated: a plan run once (an evaluation printed, a check) does not pay for generating it.</summary>
    internal int InterpretedRunsFirst { get; set; } = 1;

    /// <summary>Test aid: behave as where dynamic code is not supported.</summary>
    internal static bool DynamicCodeSupported { get; set; } = RuntimeFeature.IsDynamicCodeSupported;

    /// <summary>Test aid: generate on the calling thread, at the run that asks for the code, rather than in the background.</summary>
    internal bool GenerateInBackground { get; set; } = true;

    private int runsSinceLayoutsCleared;
    // Code being generated on another thread, and the lay-out generation it was asked for (ClearLayouts moves it on:
    // code generated under other settings is dropped).
    private Task<object>? pendingCode;
    private int codeEpoch;

    /// <summary>
    /// The generated code for this run, or null while interpreting. Generating takes tens of microseconds per step
    /// (mostly the JIT), so it starts after <see cref="InterpretedRunsFirst"/> runs, in the background, and the plan
    /// interprets until it is ready. Steps the code computes read and write its array, so their values are pointed at it.
    /// </summary>
    private ScalarCode<T>? CodeFor<T>(Memory<T> memory, bool laidOut) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!useGeneratedCode || !DynamicCodeSupported || generationFailure is not null) return null;
        if (memory.Code is null)
        {
            if (pendingCode is { } pending)
            {
                if (!pending.IsCompleted) return null;
                pendingCode = null;
                if (pending.IsFaulted) return GenerationFailed<T>(pending.Exception!.InnerException!);
                var (epoch, code) = ((int, ScalarCode<T>))pending.Result;
                if (epoch != codeEpoch) return null;
                memory.Code = code;
            }
            else
            {
                if (runsSinceLayoutsCleared++ < InterpretedRunsFirst) return null;
                var generated = Generated();
                bool keepAll = !ReuseBuffers;
                if (GenerateInBackground && generated.Contains(true))
                {
                    pendingCode = Generating<T>(generated, keepAll);
                    return null;
                }
                try { memory.Code = new ScalarCode<T>(steps, generated, keepAll); }
                catch (InvalidOperationException e) { return GenerationFailed<T>(e); }
            }
            laidOut = true;
        }
        var current = memory.Code;
        if (current.Chunks.Length == 0) return null;
        if (laidOut)
            foreach (var chunk in current.Chunks)
                for (int s = chunk.First; s < chunk.End; s++)
                    if (!steps[s].Node.IsLeaf) memory.Values[s] = current.View(s);   // a constant inside a method keeps its own value
        return current;
    }

    // Why code could not be generated (a defect of GraphDiff's, not of the user's graph): the plan interprets, as it
    // would have without the code, until its settings change; GeneratedCode says why.
    private Exception? generationFailure;

    private ScalarCode<T>? GenerationFailed<T>(Exception e) where T : unmanaged, IFloatingPointIeee754<T>
    {
        generationFailure = e;
        return null;
    }

    // A method of its own: a lambda's captured state is allocated where the captured variables live, and in
    // CodeFor that would be on every run.
    private Task<object> Generating<T>(bool[] generated, bool keepAll) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int epoch = codeEpoch;
        return Task.Run(() => (object)(epoch, new ScalarCode<T>(steps, generated, keepAll)));
    }

    /// <summary>
    /// The steps generated code computes: 1×1 results of 1×1 operands, computed on their own (not inside a fused
    /// chain, not a product folded into its reader). Decided by settings, never by the batch size.
    /// </summary>
    private bool[] Generated()
    {
        var generated = new bool[steps.Length];
        for (int s = 0; s < steps.Length; s++)
        {
            var step = steps[s];
            if (step.Node.IsLeaf || step.Node.Shape != Shape.Scalar || foldedInto[s] >= 0 || foldedProduct[s] >= 0) continue;
            if (fuse && fusion.GroupEndingAt(fusion.RootOf(s)) is not null && FuseAtElements <= 1) continue;
            bool scalarOperands = true;
            foreach (int o in step.Operands) scalarOperands &= steps[o].Node.Shape == Shape.Scalar;
            generated[s] = scalarOperands;
        }
        return generated;
    }

    /// <summary>
    /// Runs one generated method: copies in the operands computed elsewhere, runs it, and checks what it wrote.
    /// False when a value is NaN or ∞ (with <see cref="CheckFinite"/>): the caller then runs the interpreter, whose
    /// error names the node as it always does.
    /// </summary>
    private bool RunGenerated<T>(Memory<T> memory, ScalarCode<T> code, ScalarCode<T>.Chunk chunk) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var v = code.Values;
        var values = memory.Values;
        foreach (int o in chunk.Gathered) v[o] = values[o][0, 0];
        return !T.IsNaN(chunk.Code(v)) || !CheckFinite;
    }
}
