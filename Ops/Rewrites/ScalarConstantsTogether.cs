namespace GraphDiff;

/// <summary>
/// The numbers of a product of 1×1 factors multiplied into one, in front: (1/m · 0.35) · 2 → 0.7 · (1/m), and
/// c · (1/x) → c/x, (c/x) · 2 → 2c/x, and c/(k·x) → (c/k)/x. It is how the L2 term of dW reads λ/m · W, as the course writes it.
/// </summary>
internal sealed class ScalarConstantsTogether() : RewriteRule("ScalarConstantsTogether", "the numbers of a scalar product multiplied once", RewritePass.Simplification)
{
    public override Node? Apply(Node node)
    {
        // A named product is rewritten too (the compiler gives the name to the replacement): a gradient is named dx,
        // and d²(x³)/dx² should read 6 * x, not 3 * 2 * x. Named factors inside it are kept whole (see Flatten).
        if (node.Operation == Op.DivideOperation && Patterns.IsScalar(node)) return NumbersOutOfDivisor(node);
        if (node.Operation != Op.MultiplyOperation || !Patterns.IsScalar(node)) return null;
        var factors = new List<Node>();
        Flatten(node, factors);
        var numbers = factors.Where(IsNumber).ToArray();
        var rest = factors.Where(f => !IsNumber(f)).ToArray();
        bool reciprocal = rest.Length == 1 && IsReciprocal(rest[0], out _);
        if (numbers.Length < 2 && !(numbers.Length == 1 && reciprocal)) return null;
        double product = numbers.Aggregate(1.0, (p, c) => p * ((Constant)c).Fill!.Value);
        if (!double.IsFinite(product)) return null;
        var number = Graph.Constant(product);
        if (rest.Length == 0) return number;
        if (reciprocal && IsReciprocal(rest[0], out var divisor)) return Op.Divide(number, divisor);
        return Op.Multiply(number, rest.Skip(1).Aggregate(rest[0], (p, f) => Op.Multiply(p, f)));
    }

    /// <summary>c / (k·x) → (c/k) / x: λ/(2m) written by hand reads as the number over m.</summary>
    private static Node? NumbersOutOfDivisor(Node node)
    {
        if (!IsNumber(node.Inputs[0])) return null;
        var factors = new List<Node>();
        Flatten(node.Inputs[1], factors, root: false);
        var numbers = factors.Where(IsNumber).ToArray();
        var rest = factors.Where(f => !IsNumber(f)).ToArray();
        if (numbers.Length == 0 || rest.Length == 0) return null;
        double quotient = numbers.Aggregate(((Constant)node.Inputs[0]).Fill!.Value, (q, c) => q / ((Constant)c).Fill!.Value);
        if (!double.IsFinite(quotient)) return null;
        return Op.Divide(Graph.Constant(quotient), rest.Skip(1).Aggregate(rest[0], (p, f) => Op.Multiply(p, f)));
    }

    private static void Flatten(Node n, List<Node> factors) => Flatten(n, factors, root: true);

    private static void Flatten(Node n, List<Node> factors, bool root)
    {
        // Below the root, only a product with a number near its top is opened: the compiler rewrites bottom-up, and this
        // rule leaves a product's numbers in front of it, so deeper down there are none to find. Opening every product
        // made a long chain's gradient (tanh(J)·0.5, a thousand times) rebuild and re-read the whole chain at every
        // step: cubic, 12 s for 1,000 steps.
        if (n.Operation == Op.MultiplyOperation && (root || n.Name is null && HoldsNumberNearTop(n, NumberDepth))
            && Patterns.IsScalar(n.Inputs[0]) && Patterns.IsScalar(n.Inputs[1]))
        {
            Flatten(n.Inputs[0], factors, root: false);
            Flatten(n.Inputs[1], factors, root: false);
        }
        else if (n.Operation == Op.DivideOperation && n.Name is null && IsNumber(n.Inputs[0]) && !Patterns.IsFilled(n.Inputs[0], 1) && Patterns.IsScalar(n.Inputs[1]))
        {
            // c/x is c · (1/x): its number joins the others.
            factors.Add(n.Inputs[0]);
            factors.Add(Op.Divide(Graph.Constant(1.0), n.Inputs[1]));
        }
        else factors.Add(n);
    }

    /// <summary>How deep under a product's top a number is looked for (a product the rule did not rewrite, with one number, sits a level or two down).</summary>
    private const int NumberDepth = 4;

    /// <summary>Whether a number is among the factors of the unnamed scalar product <paramref name="n"/> within <paramref name="depth"/> levels of its top.</summary>
    private static bool HoldsNumberNearTop(Node n, int depth) =>
        depth > 0 && n.Operation == Op.MultiplyOperation && n.Name is null && Patterns.IsScalar(n.Inputs[0]) && Patterns.IsScalar(n.Inputs[1])
        && (IsNumber(n.Inputs[0]) || IsNumber(n.Inputs[1]) || HoldsNumberNearTop(n.Inputs[0], depth - 1) || HoldsNumberNearTop(n.Inputs[1], depth - 1));

    private static bool IsNumber(Node n) => n is Constant { Fill: not null } && Patterns.IsScalar(n);

    /// <summary>1/x: the divisor x.</summary>
    private static bool IsReciprocal(Node n, out Node divisor)
    {
        divisor = n;
        if (n.Operation != Op.DivideOperation || n.Name is not null || !Patterns.IsFilled(n.Inputs[0], 1)) return false;
        divisor = n.Inputs[1];
        return true;
    }
}
