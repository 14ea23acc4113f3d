using System.Collections;

namespace GraphDiff;

/// <summary>The gradient nodes returned by <see cref="Gradients.Of(Node, IEnumerable{Node})"/>, in request order and by node.</summary>
public sealed class GradientSet : IReadOnlyList<Node>
{
    private readonly Node[] wrt;
    private readonly Node[] gradients;

    internal GradientSet(Node[] wrt, Node[] gradients)
    {
        this.wrt = wrt;
        this.gradients = gradients;
    }

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

    /// <inheritdoc />
    public IEnumerator<Node> GetEnumerator() => ((IEnumerable<Node>)gradients).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
