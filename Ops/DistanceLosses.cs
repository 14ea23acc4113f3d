using System.Runtime.CompilerServices;

namespace GraphDiff;

static partial class Op
{
    /// <summary>The course's L1 loss Σ |ŷ − y| (a sum, not a mean), for predictions and labels of one shape.</summary>
    public static Node L1Loss(Node prediction, Node y, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        SummedError("L1Loss", prediction, y, Abs, file, line);

    /// <summary>The course's L2 loss Σ (ŷ − y)² (a sum, not a mean), for predictions and labels of one shape.</summary>
    public static Node L2Loss(Node prediction, Node y, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        SummedError("L2Loss", prediction, y, Square, file, line);

    /// <summary>Σ f(ŷ − y), every node attributed to the caller's line.</summary>
    private static Node SummedError(string loss, Node prediction, Node y, Func<Node, string, int, Node> f, string file, int line)
    {
        Losses.RequireSameShape(loss, prediction, y);
        return Sum(f(Subtract(prediction, y, file, line), file, line), null, file, line);
    }
}
