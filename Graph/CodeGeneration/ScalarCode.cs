using System.Globalization;
using System.Linq.Expressions;
using System.Numerics;
using System.Reflection;
using System.Text;
using GraphDiff.Tensors;

namespace GraphDiff;

/// <summary>
/// Straight-line code for a plan's 1×1 steps: each run of consecutive 1×1 steps becomes methods of plain
/// assignments over one array holding every such value (<c>v[7] = v[5] * v[6];</c>), generated once with
/// System.Linq.Expressions. An operation writes itself inline through <see cref="Operation.ScalarForm"/>; one
/// without a scalar form is called through its forward form on 1×1 views of the same array, exactly as the
/// interpreter calls it. A scalar graph then runs at the cost of its arithmetic, not of one interpreter step per node.
/// </summary>
/// <typeparam name="T">The plan's element type.</typeparam>
internal sealed class ScalarCode<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Steps per generated method: large enough that a call per method costs nothing, small enough for the JIT to optimise each fully.</summary>
    internal const int StepsPerMethod = 256;

    private readonly ScheduleStep[] steps;
    private readonly Chunk?[] chunkAt;

    /// <summary>
    /// One element per step of the schedule: where generated steps write the values read after their method (by
    /// other steps, or as outputs), and where their operands computed elsewhere are copied.
    /// </summary>
    public T[] Values { get; }

    /// <summary>The generated methods, in the order they run.</summary>
    public Chunk[] Chunks { get; }

    /// <summary>Steps written inline, and steps called through their forward form.</summary>
    public int InlineSteps { get; }

    /// <inheritdoc cref="InlineSteps"/>
    public int CalledSteps { get; }

    /// <summary>A generated method: steps <see cref="First"/> to <see cref="End"/> (exclusive), after copying the operands computed elsewhere.</summary>
    /// <param name="First">The first step it computes.</param>
    /// <param name="End">One past the last.</param>
    /// <param name="Gathered">Operand slots computed elsewhere (leaves, larger steps): copied into <see cref="Values"/> before it runs.</param>
    /// <param name="Code">The method; it returns NaN when a value it computed is NaN or ∞, else zero.</param>
    /// <param name="Lines">What it does, one line per step, for <see cref="Listing"/>.</param>
    internal sealed record Chunk(int First, int End, int[] Gathered, Func<T[], T> Code, string?[] Lines);

    /// <summary>
    /// Generates code for the steps marked in <paramref name="generated"/> (1×1 non-leaf steps whose operands are 1×1);
    /// <paramref name="keepAll"/> writes every value to <see cref="Values"/>, else only those read after their method.
    /// </summary>
    public ScalarCode(ScheduleStep[] steps, bool[] generated, bool keepAll)
    {
        this.steps = steps;
        Values = new T[steps.Length];
        chunkAt = new Chunk?[steps.Length];
        var chunks = new List<Chunk>();
        int inline = 0, called = 0;
        for (int s = 0; s < steps.Length; s++)
        {
            if (!generated[s]) continue;
            int end = s;
            // Constants between generated steps do not end a method: they are written once, at lay-out, and copied in.
            while (end < steps.Length && (generated[end] || steps[end].Node is Constant) && end - s < StepsPerMethod) end++;
            while (!generated[end - 1]) end--;
            var chunk = Generate(s, end, generated, keepAll, ref inline, ref called);
            chunks.Add(chunk);
            chunkAt[s] = chunk;
            s = end - 1;
        }
        Chunks = [.. chunks];
        InlineSteps = inline;
        CalledSteps = called;
    }

    /// <summary>The method that starts at step <paramref name="s"/>, or null.</summary>
    public Chunk? ChunkAt(int s) => chunkAt[s];

    /// <summary>The 1×1 view of step <paramref name="s"/>'s element: what the plan and its readers see as the step's value.</summary>
    public Tensor<T> View(int s) => new(Values, s, 1, 1, 1);

    private Chunk Generate(int first, int end, bool[] generated, bool keepAll, ref int inline, ref int called)
    {
        var v = Expression.Parameter(typeof(T[]), "v");
        var locals = new ParameterExpression[end - first];
        var body = new List<Expression>(2 * (end - first) + 1);
        var lines = new string?[end - first];
        var gathered = new SortedSet<int>();
        // A value goes to v only when something outside this method reads it; the others stay in registers.
        var stored = new bool[end - first];
        for (int s = first; s < end; s++)
        {
            if (!generated[s]) continue;
            stored[s - first] |= keepAll || steps[s].LastUse >= end;
            if (Inline(steps[s].Node.Operation, Placeholders(steps[s].Operands.Count)) is null)
                foreach (int o in steps[s].Operands)
                    if (o >= first) stored[o - first] = true;   // a forward call reads its operands from v
        }
        // NaN and ∞ are caught by accumulating x·0 (0 for every finite x, NaN otherwise) in independent sums, off the chain's critical path.
        var probes = Enumerable.Range(0, Probes).Select(k => Expression.Variable(typeof(T), $"probe{k}")).ToArray();
        var zero = Expression.Constant(T.Zero);
        foreach (var probe in probes) body.Add(Expression.Assign(probe, zero));
        for (int s = first; s < end; s++)
        {
            if (!generated[s]) continue;   // a constant, copied in
            var step = steps[s];
            var operation = step.Node.Operation;
            var operands = new Expression[step.Operands.Count];
            for (int k = 0; k < operands.Length; k++)
            {
                int o = step.Operands[k];
                if (!generated[o]) gathered.Add(o);
                operands[k] = generated[o] && o >= first ? locals[o - first] : Expression.ArrayAccess(v, Expression.Constant(o));
            }
            var local = locals[s - first] = Expression.Variable(typeof(T), $"t{s}");
            var element = Expression.ArrayAccess(v, Expression.Constant(s));
            // As the code reads them: a value of this method from its register, any other from v.
            string operandText = string.Join(", ", step.Operands.Select(o => generated[o] && o >= first ? $"t{o}" : $"v[{o}]"));
            string stores = stored[s - first] ? $" v[{s}] = t{s};" : "";
            if (Inline(operation, operands) is { } form)
            {
                if (form.Type != typeof(T))
                    throw new InvalidOperationException($"{operation.Name}.ScalarForm returned an expression of type {form.Type.Name} for operands of type {typeof(T).Name}; it must compute in the operands' type.");
                body.Add(Expression.Assign(local, form));
                if (stored[s - first]) body.Add(Expression.Assign(element, local));
                lines[s - first] = $"t{s} = {Text(form, operation, operandText)};{stores}";
                inline++;
            }
            else
            {
                var call = new ForwardCall(operation, step.Operands.Select(View).ToArray(), View(s));
                body.Add(Expression.Call(Expression.Constant(call), ForwardCall.RunMethod));
                body.Add(Expression.Assign(local, element));
                lines[s - first] = $"{operation.Name}.Forward({string.Join(", ", step.Operands.Select(o => $"v[{o}]"))}) → v[{s}]; t{s} = v[{s}];";
                called++;
            }
            var probe = probes[(s - first) % Probes];
            body.Add(Expression.Assign(probe, Expression.Add(probe, Expression.Multiply(local, zero))));
        }
        body.Add(probes.Skip(1).Aggregate((Expression)probes[0], Expression.Add));
        var code = Expression.Lambda<Func<T[], T>>(Expression.Block(typeof(T), [.. locals.OfType<ParameterExpression>(), .. probes], body), $"Steps{first}To{end - 1}", [v]).Compile();
        WarmUp(code);
        return new Chunk(first, end, [.. gathered], code, lines);
    }

    /// <summary>
    /// Runs a generated method once, on scratch values, where it is generated: the JIT compiles it at its first call,
    /// and that work (and what it allocates) belongs to the generating thread, not to a warm plan's run.
    /// </summary>
    private void WarmUp(Func<T[], T> code)
    {
        try { code(new T[Values.Length]); }
        catch (Exception e) when (e is ArithmeticException or ArgumentException or InvalidOperationException)
        {
            // An operation that refuses zeros: it was compiled all the same, and real runs report real errors.
        }
    }

    /// <summary>
    /// The operation's inline form, if GraphDiff wrote it: an override of <see cref="Operation.ScalarForm"/> elsewhere
    /// is not trusted to give the kernel's bits (a wrong one would give wrong numbers silently), nor to be of the right
    /// type; that operation is called through its forward form. The test assembly's count as GraphDiff's.
    /// </summary>
    internal static Expression? Inline(Operation operation, Expression[] operands) =>
        Trusted.GetOrAdd(operation.GetType(), static type =>
            type.GetMethod(nameof(Operation.ScalarForm), BindingFlags.Instance | BindingFlags.NonPublic)!.DeclaringType!.Assembly.GetName().Name is { } name
            && TrustedAssemblies.Contains(name))
        ? operation.ScalarForm(operands) : null;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, bool> Trusted = new();
    private static readonly HashSet<string> TrustedAssemblies = ["GraphDiff.Graph", "GraphDiff.Ops", "GraphDiff.Nn", "GraphDiff.Tests"];

    /// <summary>Independent sums that catch NaN and ∞: enough that adding to them never waits on the previous add.</summary>
    private const int Probes = 4;

    private static Expression[] Placeholders(int count) => Enumerable.Range(0, count).Select(_ => (Expression)Expression.Parameter(typeof(T))).ToArray();

    /// <summary>An inline form as C# reads it: <c>v[3] * v[4]</c>; anything else as the operation's name applied to its operands.</summary>
    private static string Text(Expression form, Operation operation, string operandText) => form switch
    {
        BinaryExpression or UnaryExpression => Unparenthesised(form.ToString()),
        _ => $"{operation.Name}({operandText})",
    };

    private static string Unparenthesised(string text) => text.StartsWith('(') && text.EndsWith(')') ? text[1..^1] : text;

    /// <summary>
    /// The generated code as text: for each method, the values it copies in and one line per step, e.g.
    /// <c>v[5] = v[3] * v[4];   // %5 Multiply, Program.cs:12</c>.
    /// </summary>
    public string Listing()
    {
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"// {InlineSteps + CalledSteps:N0} of {steps.Length:N0} steps generated as code ({InlineSteps:N0} inline, {CalledSteps:N0} calling their forward form), in {Chunks.Length:N0} method(s) over v, one {typeof(T).Name} per step"));
        foreach (var chunk in Chunks)
        {
            text.AppendLine($"void Steps{chunk.First}To{chunk.End - 1}({typeof(T).Name}[] v)");
            text.AppendLine("{");
            if (chunk.Gathered.Length > 0)
                text.AppendLine($"    // copied in: {string.Join(", ", chunk.Gathered.Select(o => $"v[{o}] ({Describe(steps[o].Node)})"))}");
            // Values an earlier method computed are read from v as they are: listed too, so every v[·] a line reads is accounted for.
            var earlier = Enumerable.Range(chunk.First, chunk.End - chunk.First).Where(s => chunk.Lines[s - chunk.First] is not null)
                .SelectMany(s => steps[s].Operands).Where(o => o < chunk.First && !chunk.Gathered.Contains(o)).Distinct().Order().ToArray();
            if (earlier.Length > 0)
                text.AppendLine($"    // computed by an earlier method: {string.Join(", ", earlier.Select(o => $"v[{o}] ({steps[o].Node.Operation.Name}, {steps[o].Node.Location})"))}");
            for (int s = chunk.First; s < chunk.End; s++)
                if (chunk.Lines[s - chunk.First] is not null)
                    text.AppendLine($"    {chunk.Lines[s - chunk.First]}   // {steps[s].Node.Operation.Name}{(steps[s].Node.Operation.AttributesText is { Length: > 0 } a ? $" ({a})" : "")}{(steps[s].Node.Name is { } n ? $" [{n}]" : "")}, {steps[s].Node.Location}");
            text.AppendLine("}");
        }
        return text.ToString();
    }

    private static string Describe(Node node) => node switch
    {
        Variable variable => $"variable {variable.Name}",
        Input input => $"input {input.Name}",
        Constant constant => constant.Name is { } name ? $"constant {name}" : $"constant {NodeFormatter.Expression(constant)}",
        _ => $"{node.Operation.Name}, run by the interpreter",
    };

    /// <summary>A step without a scalar form: its forward form on 1×1 views of <see cref="Values"/>, exactly as the interpreter calls it.</summary>
    private sealed class ForwardCall(Operation operation, Tensor<T>[] operands, Tensor<T> result)
    {
        public static readonly MethodInfo RunMethod = typeof(ForwardCall).GetMethod(nameof(Run))!;

        public void Run() => ElementForms.Forward(operation, operands, result);
    }
}
