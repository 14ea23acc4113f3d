using System.Linq.Expressions;
using System.Numerics;
using System.Text;

namespace GraphDiff;

/// <summary>
/// One loop per chain of elementwise steps (<see cref="Fusion"/>'s groups): a single pass over the chain's elements, a
/// register (<see cref="Vector{T}"/>) at a time, each value of the chain kept in a register from the loads of its
/// operands to the store of the chain's result. Each step is written by its operation's form on a register
/// (<see cref="Operation.ScalarForm"/> with register operands: + − × ÷ as operators, exp, tanh, … as the library's
/// kernels on one register), so every lane gets the bits the interpreter's kernels give its element. A chain with an
/// operation that has no such form, or an operand that lines up other than as a whole, a column, a row or a number, is
/// left to the interpreter.
/// </summary>
/// <typeparam name="T">The plan's element type.</typeparam>
internal sealed class FusedCode<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>How an operand from outside a chain lines up with the chain's R×C values.</summary>
    internal enum Kind { Whole, Column, Row, Number }

    /// <summary>
    /// A chain's loop: <see cref="Code"/>(arrays, offsets, strides, rows, columns) over the result (index 0) and the
    /// <see cref="Sources"/> (index k + 1), each given by its array, the offset of its element (0, 0) and the step
    /// between its columns; it returns NaN when a value it computed is NaN or ∞, else zero.
    /// </summary>
    internal sealed record Loop(int[] Group, int[] Sources, Kind[] Kinds, Func<T[][], int[], int[], int, int, T> Code, string[] Lines)
    {
        /// <summary>The arguments of a run, filled in place, so that a warm run allocates nothing.</summary>
        public readonly T[][] Arrays = new T[Sources.Length + 1][];

        /// <inheritdoc cref="Arrays"/>
        public readonly int[] Offsets = new int[Sources.Length + 1], Strides = new int[Sources.Length + 1];
    }

    private readonly ScheduleStep[] steps;
    private readonly Loop?[] loopAt;
    private readonly List<string> interpreted = [];
    private readonly bool everyChain;

    /// <summary>The loops generated, in schedule order.</summary>
    public Loop[] Loops { get; }

    /// <summary>Generates a loop for each chain (of more than one element) that <paramref name="fusion"/> groups.</summary>
    /// <param name="steps">The plan's schedule.</param>
    /// <param name="fusion">Its chains.</param>
    /// <param name="everyChain">A loop for every chain that can have one, even where calls to kernels outweigh the rest (tests).</param>
    public FusedCode(ScheduleStep[] steps, Fusion fusion, bool everyChain)
    {
        this.steps = steps;
        this.everyChain = everyChain;
        loopAt = new Loop?[steps.Length];
        for (int root = 0; root < steps.Length; root++)
        {
            if (fusion.GroupEndingAt(root) is not { } group || steps[root].Node.Shape == Shape.Scalar) continue;
            try { loopAt[root] = Generate(group); }
            catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException)
            {
                interpreted.Add($"// the chain ending at %{root} is interpreted: {e.Message}");
            }
        }
        Loops = [.. loopAt.OfType<Loop>()];
    }

    /// <summary>The loop of the chain whose last step is <paramref name="root"/>, or null.</summary>
    public Loop? LoopAt(int root) => loopAt[root];

    /// <summary>Whether there is anything to list: a loop, or a chain left to the interpreter and why.</summary>
    public bool IsEmpty => Loops.Length == 0 && interpreted.Count == 0;

    private static readonly Type Register = typeof(Vector<T>);
    private static readonly Expression NoLanes = Expression.Default(Register);

    private Loop Generate(int[] group)
    {
        int root = group[^1];
        // A kernel called once per register reloads its constants each call: about twice the time per element of its span
        // form, which keeps them in registers across a whole loop. A chain worth a loop saves more passes than that costs.
        int calls = group.Count(s => ScalarCode<T>.Inline(steps[s].Node.Operation, [.. steps[s].Operands.Select(_ => Expression.Parameter(Register))])
            is MethodCallExpression { Method.DeclaringType: var type } && type == typeof(Tensors.TensorMath));
        if (!everyChain && 2 * calls > group.Length - calls)
            throw new NotSupportedException($"its {calls} kernel call(s) a register outweigh its {group.Length - calls} other step(s) (the kernels over whole spans are faster)");
        var shape = steps[root].Node.Shape;
        var sources = group.SelectMany(s => steps[s].Operands).Where(o => !group.Contains(o)).Distinct().ToArray();
        var kinds = sources.Select(o => KindOf(steps[o].Node, shape)).ToArray();
        var a = Expression.Parameter(typeof(T[][]), "a");
        var offsets = Expression.Parameter(typeof(int[]), "at");
        var strides = Expression.Parameter(typeof(int[]), "step");
        var rows = Expression.Parameter(typeof(int), "rows");
        var columns = Expression.Parameter(typeof(int), "columns");
        var i = Expression.Variable(typeof(int), "i");
        var j = Expression.Variable(typeof(int), "j");
        var probe = Expression.Variable(Register, "probe");
        // Per array (the result first, then each source): the array, the start of the current column, and its register.
        var arrays = Enumerable.Range(0, sources.Length + 1).Select(k => Expression.Variable(typeof(T[]), k == 0 ? $"v{root}" : $"v{sources[k - 1]}")).ToArray();
        var starts = arrays.Select(v => Expression.Variable(typeof(int), $"{v.Name}at")).ToArray();
        var registers = sources.Select(o => Expression.Variable(Register, $"x{o}")).ToArray();
        var prologue = new List<Expression> { Expression.Assign(probe, NoLanes) };
        var perColumn = new List<Expression>();
        for (int k = 0; k <= sources.Length; k++)
        {
            var at = Expression.ArrayIndex(offsets, Expression.Constant(k));
            prologue.Add(Expression.Assign(arrays[k], Expression.ArrayIndex(a, Expression.Constant(k))));
            if (k > 0 && kinds[k - 1] == Kind.Number)
                prologue.Add(Expression.Assign(registers[k - 1], Expression.New(Splat, Expression.ArrayIndex(arrays[k], at))));
            else
                perColumn.Add(Expression.Assign(starts[k], Expression.Add(at, Expression.Multiply(j, Expression.ArrayIndex(strides, Expression.Constant(k))))));
            if (k > 0 && kinds[k - 1] == Kind.Row)
                perColumn.Add(Expression.Assign(registers[k - 1], Expression.New(Splat, Expression.ArrayIndex(arrays[k], starts[k]))));
        }
        var lines = new List<string>();
        var at0 = Expression.Add(starts[0], i);
        var count = Expression.Subtract(rows, i);
        Expression Pass(Func<int, Expression> load, Func<Expression, Expression> store, bool list) =>
            Body(group, sources, kinds, registers, probe, load, store, list ? lines : null);
        Expression Whole(Expression at, bool list) =>
            Pass(k => Expression.New(Load, arrays[k], Expression.Add(starts[k], at)), v => Expression.Call(v, CopyTo, arrays[0], Expression.Add(starts[0], at)), list);
        var whole = Whole(i, list: true);
        var tail = Pass(k => Expression.Call(LoadTailMethod, arrays[k], Expression.Add(starts[k], i), count), v => Expression.Call(StoreTailMethod, v, arrays[0], at0, count), list: false);
        var endRegisters = Expression.Label();
        var endColumns = Expression.Label();
        var endPairs = Expression.Label();
        int lanes = Vector<T>.Count;
        // Two registers a step, independent, so that the processor overlaps their kernels' long dependency chains (as the
        // span kernels' two-register loops do), then one.
        var registerLoop = Expression.Block(
            Expression.Loop(Expression.Block(
                Expression.IfThen(Expression.GreaterThan(i, Expression.Subtract(rows, Expression.Constant(2 * lanes))), Expression.Break(endPairs)),
                whole, Whole(Expression.Add(i, Expression.Constant(lanes)), list: false),
                Expression.AddAssign(i, Expression.Constant(2 * lanes))), endPairs),
            Expression.Loop(Expression.Block(
                Expression.IfThen(Expression.GreaterThan(i, Expression.Subtract(rows, Expression.Constant(lanes))), Expression.Break(endRegisters)),
                whole,
                Expression.AddAssign(i, Expression.Constant(lanes))), endRegisters));
        var columnLoop = Expression.Loop(Expression.Block(
            Expression.IfThen(Expression.GreaterThanOrEqual(j, columns), Expression.Break(endColumns)),
            Expression.Block([.. perColumn, Expression.Assign(i, Expression.Constant(0)), registerLoop,
                // The rest of a column: its last register again, overlapping the one before (the result is no operand's
                // storage, so those lanes are written again with the same bits); in a column shorter than a register, the
                // elements in a register padded with copies of the last.
                Expression.IfThen(Expression.LessThan(i, rows), Expression.IfThenElse(Expression.GreaterThanOrEqual(rows, Expression.Constant(Vector<T>.Count)),
                    Expression.Block(Expression.Assign(i, Expression.Subtract(rows, Expression.Constant(Vector<T>.Count))), whole), tail))]),
            Expression.PreIncrementAssign(j)), endColumns);
        var body = Expression.Block(typeof(T), [i, j, probe, .. arrays, .. starts, .. registers],
            [.. prologue, Expression.Assign(j, Expression.Constant(0)), columnLoop, Expression.Call(TotalMethod, probe)]);
        var code = Expression.Lambda<Func<T[][], int[], int[], int, int, T>>(body, $"Chain{root}", [a, offsets, strides, rows, columns]).Compile();
        var loop = new Loop(group, sources, kinds, code, [.. lines]);
        WarmUp(loop);
        return loop;
    }

    /// <summary>
    /// One register's worth of the chain: the sources loaded, each step in order into its register (its NaN-or-∞ probe
    /// added unless the operation keeps finite values finite), the result stored.
    /// </summary>
    private Expression Body(int[] group, int[] sources, Kind[] kinds, ParameterExpression[] registers, ParameterExpression probe,
        Func<int, Expression> load, Func<Expression, Expression> store, List<string>? lines)
    {
        var body = new List<Expression>();
        for (int k = 0; k < sources.Length; k++)
            if (kinds[k] is Kind.Whole or Kind.Column)
            {
                body.Add(Expression.Assign(registers[k], load(k + 1)));
                lines?.Add($"x{sources[k]} = {Describe(kinds[k])} of %{sources[k]};   // {steps[sources[k]].Node.Operation.Name}");
            }
            else lines?.Add($"x{sources[k]} = %{sources[k]} {(kinds[k] == Kind.Row ? "at this column, in every lane" : "in every lane")};   // {steps[sources[k]].Node.Operation.Name}");
        var locals = new Dictionary<int, ParameterExpression>();
        foreach (int s in group)
        {
            var step = steps[s];
            var operands = step.Operands.Select(o => locals.TryGetValue(o, out var t) ? t : (Expression)registers[Array.IndexOf(sources, o)]).ToArray();
            var form = ScalarCode<T>.Inline(step.Node.Operation, operands);
            if (form is null || form.Type != Register)
                throw new NotSupportedException($"{step.Node.Operation.Name} has no form on a register of {typeof(T).Name}");
            var local = locals[s] = Expression.Variable(Register, $"t{s}");
            body.Add(Expression.Assign(local, form));
            if (!step.Node.Operation.KeepsFinite) body.Add(Expression.Assign(probe, Expression.Add(probe, Expression.Multiply(local, NoLanes))));
            lines?.Add($"t{s} = {Text(form)};   // {step.Node.Operation.Name}{(step.Node.Name is { } n ? $" [{n}]" : "")}, {step.Node.Location}");
        }
        body.Add(store(locals[group[^1]]));
        lines?.Add($"%{group[^1]} = t{group[^1]};");
        return Expression.Block([.. locals.Values], body);
    }

    /// <summary>How <paramref name="operand"/> lines up with values of <paramref name="shape"/>, or NotSupportedException.</summary>
    private static Kind KindOf(Node operand, Shape shape)
    {
        var o = operand.Shape;
        if (o == shape) return Kind.Whole;
        if (o.IsScalar) return Kind.Number;
        if (o.Columns == 1 && o.WithColumns(shape.Columns) == shape) return Kind.Column;
        if (o.Rows == 1 && o.Columns == shape.Columns) return Kind.Row;
        throw new NotSupportedException($"an operand of shape {o} lines up with {shape} neither as a whole nor as a column, a row or a number");
    }

    private static string Describe(Kind kind) => kind == Kind.Whole ? "a register" : "a register of the column";

    private static string Text(Expression form) => form.ToString() is var text && text.StartsWith('(') && text.EndsWith(')') ? text[1..^1] : text;

    /// <summary>Runs a loop once on scratch arrays where it is generated, so that the JIT compiles it there, not in a run.</summary>
    private static void WarmUp(Loop loop)
    {
        var scratch = new T[2 * Vector<T>.Count];
        Array.Fill(scratch, T.One);
        Array.Fill(loop.Arrays, scratch);
        loop.Code(loop.Arrays, loop.Offsets, loop.Strides, scratch.Length - 1, 1);
        Array.Clear(loop.Arrays);
    }

    private static readonly System.Reflection.ConstructorInfo Splat = Register.GetConstructor([typeof(T)])!;
    private static readonly System.Reflection.ConstructorInfo Load = Register.GetConstructor([typeof(T[]), typeof(int)])!;
    private static readonly System.Reflection.MethodInfo CopyTo = Register.GetMethod(nameof(Vector<T>.CopyTo), [typeof(T[]), typeof(int)])!;
    private static readonly System.Reflection.MethodInfo LoadTailMethod = typeof(FusedCode<T>).GetMethod(nameof(LoadTail))!;
    private static readonly System.Reflection.MethodInfo StoreTailMethod = typeof(FusedCode<T>).GetMethod(nameof(StoreTail))!;
    private static readonly System.Reflection.MethodInfo TotalMethod = typeof(FusedCode<T>).GetMethod(nameof(Total))!;

    /// <summary>
    /// <paramref name="count"/> elements (fewer than a register's lanes) in a register, the other lanes copies of the last:
    /// they compute what a real lane computes, so they neither differ nor raise a false alarm of NaN.
    /// </summary>
    public static Vector<T> LoadTail(T[] array, int at, int count)
    {
        Span<T> lanes = stackalloc T[Vector<T>.Count];
        lanes.Fill(array[at + count - 1]);
        array.AsSpan(at, count).CopyTo(lanes);
        return new Vector<T>(lanes);
    }

    /// <summary>The first <paramref name="count"/> lanes of <paramref name="value"/> stored.</summary>
    public static void StoreTail(Vector<T> value, T[] array, int at, int count)
    {
        Span<T> lanes = stackalloc T[Vector<T>.Count];
        value.CopyTo(lanes);
        lanes[..count].CopyTo(array.AsSpan(at, count));
    }

    /// <summary>The probes' sum: NaN when any lane saw a NaN or ∞.</summary>
    public static T Total(Vector<T> probe) => Vector.Sum(probe);

    /// <summary>The loops as text, one block per chain: what each register holds, one line per step.</summary>
    public string Listing()
    {
        var text = new StringBuilder();
        text.AppendLine($"// {Loops.Length} chain(s) of elementwise steps as one loop each, {Vector<T>.Count} {typeof(T).Name} lanes a register (a column's last register overlaps the one before, or is padded)");
        foreach (var loop in Loops)
        {
            text.AppendLine($"void Chain{loop.Group[^1]}()   // %{string.Join(", %", loop.Group)}");
            text.AppendLine("{");
            text.AppendLine("    for each column, a register of rows at a time (two a step while there are two):");
            foreach (var line in loop.Lines) text.AppendLine($"        {line}");
            text.AppendLine("}");
        }
        foreach (var line in interpreted) text.AppendLine(line);
        return text.ToString();
    }
}
