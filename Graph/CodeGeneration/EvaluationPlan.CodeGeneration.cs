using System.Numerics;
using System.Runtime.CompilerServices;
using GraphDiff.Tensors;

namespace GraphDiff;

// Code generated for the plan's 1×1 steps: a scalar graph runs as straight-line code instead of one interpreter step per node.
public sealed partial class EvaluationPlan
{
    /// <summary>
    /// When true (the default) and the runtime can generate code, the plan's 1×1 steps (a scalar graph, or the
    /// scalar parts of a larger one) run as straight-line code generated at the plan's second run, each chain of
    /// elementwise steps (a bias added then an activation, a backward chain of products) as one loop that keeps the
    /// chain's values in registers, and every other step (products, reductions, convolutions) as before. Results are bit for bit the interpreter's, and so are
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
    /// plan's array); then one loop per chain of elementwise steps, a line per step on registers (<c>t6 = Tanh(t5);</c>), and
    /// the chains left to the interpreter, with why. <c>null</c> while there is none: code is generated in the background from the plan's second run,
    /// and appears at the first run after it is ready (a plan of 10,000 steps takes about half a second); and
    /// <c>null</c> for a plan without 1×1 steps or chains, or with <see cref="UseGeneratedCode"/> false.
    /// </summary>
    public string? GeneratedCode => !useGeneratedCode ? null
        : generationFailure is { } failure ? $"// no code: generating it failed ({failure.GetType().Name}: {failure.Message}); the plan interprets"
        : Listing(doubles) ?? Listing(singles);

    private static string? Listing<T>(Memory<T>? memory) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (memory?.Code is not { } code) return null;
        string text = (code.Chunks.Length > 0 ? code.Listing() : "") + (memory.Loops is { IsEmpty: false } loops ? loops.Listing() : "");
        return text.Length > 0 ? text : null;
    }

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
    private (ScalarCode<T>? Scalars, FusedCode<T>? Loops) CodeFor<T>(Memory<T> memory, bool laidOut) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!useGeneratedCode || !DynamicCodeSupported || generationFailure is not null) return default;
        if (memory.Code is null)
        {
            if (pendingCode is { } pending)
            {
                if (!pending.IsCompleted) return default;
                pendingCode = null;
                if (pending.IsFaulted) return GenerationFailed<T>(pending.Exception!.InnerException!);
                var (epoch, code, loops) = ((int, ScalarCode<T>, FusedCode<T>?))pending.Result;
                if (epoch != codeEpoch) return default;
                (memory.Code, memory.Loops) = (code, loops);
            }
            else
            {
                if (runsSinceLayoutsCleared++ < InterpretedRunsFirst) return default;
                var generated = Generated();
                bool keepAll = !ReuseBuffers;
                if (GenerateInBackground && (generated.Contains(true) || HasChains))
                {
                    pendingCode = Generating<T>(generated, keepAll);
                    return default;
                }
                try { (memory.Code, memory.Loops) = (new ScalarCode<T>(steps, generated, keepAll), Chains<T>()); }
                catch (InvalidOperationException e) { return GenerationFailed<T>(e); }
            }
            laidOut = true;
        }
        var current = memory.Code;
        if (laidOut)
            foreach (var chunk in current.Chunks)
                for (int s = chunk.First; s < chunk.End; s++)
                    if (!steps[s].Node.IsLeaf) memory.Values[s] = current.View(s);   // a constant inside a method keeps its own value
        return (current.Chunks.Length == 0 ? null : current, memory.Loops);
    }

    /// <summary>Loops for the fused chains (of more than one element; 1×1 ones are straight-line code), when chains are fused.</summary>
    private FusedCode<T>? Chains<T>() where T : unmanaged, IFloatingPointIeee754<T> => fuse ? new FusedCode<T>(steps, fusion, LoopEveryChain) : null;

    /// <summary>Test aid: a loop for every chain that can have one, even one whose kernel calls outweigh its other steps.</summary>
    internal bool LoopEveryChain { get; set; }

    private bool HasChains => fuse && steps.Any(s => fusion.GroupEndingAt(s.Slot) is not null && s.Node.Shape != Shape.Scalar);

    /// <summary>
    /// Whether the chain ending at <paramref name="root"/> runs as its loop: whenever its values inside are not kept
    /// (kept values must be written, and only a chain fused by blocks has no values of its own to keep), unless its
    /// blocks split over the cores in this run.
    /// </summary>
    private bool LoopRuns<T>(Memory<T> memory, int root) where T : unmanaged, IFloatingPointIeee754<T> =>
        (ReuseBuffers || fusedRoot[root]) && !SplitsOverCores(memory, root);

    /// <summary>
    /// Whether step <paramref name="s"/> may run inside a chain's loop, once generated: the lay-out then frees what it
    /// reads only after the chain's last step, where the loop reads it (decided by settings, before any code exists).
    /// </summary>
    private bool MayLoop(int s) => useGeneratedCode && fuse && ReuseBuffers && fusion.IsInterior(s) && steps[fusion.RootOf(s)].Node.Shape != Shape.Scalar;

    /// <summary>
    /// Runs a chain's loop over the whole of its result. False when a value is NaN or ∞ (with <see cref="CheckFinite"/>):
    /// the caller then runs the interpreter, whose error names the node. Operands that do not line up as the loop
    /// was generated for (never expected: shapes are known when it is generated), and columns shorter than a register
    /// across many columns, are left to the interpreter.
    /// </summary>
    private bool RunLoop<T>(Memory<T> memory, FusedCode<T>.Loop loop, int m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = memory.Values;
        var result = values[loop.Group[^1]];
        int rows = result.Rows, columns = result.Columns;
        // Whole values stored without gaps, and numbers: one pass over all the elements, as if one long column.
        bool flat = result.IsContiguous;
        Pass(loop, 0, result, result.Stride);
        for (int k = 0; k < loop.Sources.Length; k++)
        {
            var v = values[loop.Sources[k]];
            var kind = loop.Kinds[k];
            bool fits = kind switch
            {
                FusedCode<T>.Kind.Whole => v.Rows == rows && v.Columns == columns,
                FusedCode<T>.Kind.Column => v.Rows == rows && v.Columns == 1,
                FusedCode<T>.Kind.Row => v.Rows == 1 && v.Columns == columns,
                _ => v.Rows == 1 && v.Columns == 1,
            };
            // Every column shorter than a register: the interpreter's kernels tile a short column across columns instead.
            if (!fits || (kind == FusedCode<T>.Kind.Column && rows < System.Numerics.Vector<T>.Count && columns > 1))
            {
                Array.Clear(loop.Arrays);
                if (fusedRoot[loop.Group[^1]]) RunFused(memory, loop.Group, m);
                else foreach (int s in loop.Group) RunStep(memory, s, m);
                return true;
            }
            flat &= kind == FusedCode<T>.Kind.Number || (kind == FusedCode<T>.Kind.Whole && v.IsContiguous);
            Pass(loop, k + 1, v, kind == FusedCode<T>.Kind.Column ? 0 : v.Stride);
        }
        if (flat) (rows, columns) = (rows * columns, 1);
        var probe = loop.Code(loop.Arrays, loop.Offsets, loop.Strides, rows, columns);
        Array.Clear(loop.Arrays);   // the plan's arrays and the caller's feeds are not kept alive by the loop
        if (PoisonFreedBuffers) Poison(memory, loop.Group[^1]);
        return !T.IsNaN(probe) || !CheckFinite;
    }

    private static void Pass<T>(FusedCode<T>.Loop loop, int k, Tensors.Tensor<T> value, int stride) where T : unmanaged, IFloatingPointIeee754<T>
    {
        loop.Arrays[k] = value.Array;
        loop.Offsets[k] = value.Offset;
        loop.Strides[k] = stride;
    }

    // Why code could not be generated (a defect of GraphDiff's, not of the user's graph): the plan interprets, as it
    // would have without the code, until its settings change; GeneratedCode says why.
    private Exception? generationFailure;

    private (ScalarCode<T>?, FusedCode<T>?) GenerationFailed<T>(Exception e) where T : unmanaged, IFloatingPointIeee754<T>
    {
        generationFailure = e;
        return default;
    }

    // A method of its own: a lambda's captured state is allocated where the captured variables live, and in
    // CodeFor that would be on every run.
    private Task<object> Generating<T>(bool[] generated, bool keepAll) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int epoch = codeEpoch;
        return Task.Run(() => (object)(epoch, new ScalarCode<T>(steps, generated, keepAll), Chains<T>()));
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
