using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>
    /// The mean over an axis (or all elements), keeping two dimensions: <see cref="Sum(Node, int?, string, int)"/> divided by
    /// <see cref="Count"/>, so the divisor follows the number of examples fed.
    /// </summary>
    public static Node Mean(Node x, int? axis = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        RequireAxis("Mean", x, axis);
        return Divide(Sum(x, axis, file, line), Count(x, axis, file, line), file, line);
    }
}
