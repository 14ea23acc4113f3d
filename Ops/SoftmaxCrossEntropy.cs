using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>
    /// Multi-class cross-entropy from scores: J = −1/m Σ y ∘ log softmax(z), with one-hot labels
    /// <paramref name="y"/> of z's shape (classes, m). Built from <see cref="LogSoftmax"/>, so it is stable and its
    /// gradient comes out as (softmax(z) − y)/m for one-hot labels.
    /// </summary>
    public static Node SoftmaxCrossEntropy(Node z, Node y, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        Losses.RequireSameShape("SoftmaxCrossEntropy", z, y);
        return Negate(Divide(Sum(Multiply(y, LogSoftmax(z, file, line), file, line), null, file, line), Count(z, 1, file, line), file, line), file, line);
    }
}
