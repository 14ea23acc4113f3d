using System.Collections;

namespace GraphDiff;

/// <summary>
/// The gradient nodes returned by <see cref="Gradients.Of(Node, IEnumerable{Node})"/>, in request order and by
/// node. Printed, it is the formula sheet of backpropagation: every shared intermediate gradient (dZ2, …) and
/// every result, one definition a line, in the order backprop computes them.
/// </summary>
public sealed class GradientSet : IReadOnlyList<Node>
{
    private readonly Node[] wrt;
    private readonly Node[] gradients;
    private readonly Node[] intermediates;
    private readonly string derivativeOf;

    internal GradientSet(Node[] wrt, Node[] gradients, string derivativeOf, Node[]? intermediates = null)
    {
        this.wrt = wrt;
        this.gradients = gradients;
        this.derivativeOf = derivativeOf;
        this.intermediates = intermediates ?? [];
    }

    internal Node[] Wrt => wrt;

    /// <summary>
    /// The course's name of each node of the results that is the gradient of a named forward node (dA1 for A1,
    /// less a scalar factor in front), named in the graph or not, by reference: for code written out with the
    /// course's names (BackpropCode). Empty for a gradient set built without names to go by.
    /// </summary>
    public IReadOnlyDictionary<Node, string> CourseNames { get; init; } = new Dictionary<Node, string>();

    /// <summary>The gradient with respect to the <paramref name="position"/>-th requested node.</summary>
    public Node this[int position] => gradients[position];

    /// <summary>The gradient with respect to <paramref name="node"/>, which must have been requested.</summary>
    public Node this[Node node]
    {
        get
        {
            int k = Array.IndexOf(wrt, node);
            return k >= 0 ? gradients[k] : throw new KeyNotFoundException($"No gradient was requested for {node.Label}.");
        }
    }

    /// <summary>How many gradients there are.</summary>
    public int Count => gradients.Length;

    /// <summary>The named intermediate gradients the results share (dZ2, dZ1, … for a network), in backprop order.</summary>
    public IReadOnlyList<Node> Intermediates => intermediates;

    /// <inheritdoc />
    public IEnumerator<Node> GetEnumerator() => ((IEnumerable<Node>)gradients).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// One line per definition: each shared intermediate (<c>dZ2 = A2 - Y</c>), followed by the results that
    /// need nothing not yet defined (<c>dW2 = 1 / m * dZ2·A1ᵀ</c>), then the rest, in request order. Each result
    /// is labelled by the node it differentiates (<c>da</c>), even when it is a leaf or the same node as another
    /// result; when that label already names something else (the course's <c>dZ1</c>, which leaves out the 1/m of
    /// a mean cost), the result is labelled as the derivative, <c>∂J/∂Z1</c>, and a last line says which is which.
    /// </summary>
    public override string ToString() => GradientSheet.Print(wrt, gradients, intermediates, derivativeOf);
}
