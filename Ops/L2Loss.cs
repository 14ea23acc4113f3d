using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>The course's L2 loss Σ (ŷ − y)² (a sum, not a mean), for predictions and labels of one shape.</summary>
    public static Node L2Loss(Node prediction, Node y, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        Losses.RequireSameShape("L2Loss", prediction, y);
        return Sum(Square(Subtract(prediction, y, file, line), file, line), null, file, line);
    }
}
