using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>The course's L1 loss Σ |ŷ − y| (a sum, not a mean), for predictions and labels of one shape.</summary>
    public static Node L1Loss(Node prediction, Node y, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        Losses.RequireSameShape("L1Loss", prediction, y);
        return Sum(Abs(Subtract(prediction, y, file, line), file, line), null, file, line);
    }
}
