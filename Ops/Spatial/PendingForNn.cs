// TEMPORARY (nn branch): the agreed builders, until conv/poolbn are merged. Delete on merge.
namespace GraphDiff;

static partial class Op
{
    /// <summary>Pending.</summary>
    public static Node BatchNorm(Node x, Node gamma, Node beta, double epsilon = 1e-5) => throw new NotImplementedException();
    /// <summary>Pending.</summary>
    public static Node BatchNormInference(Node x, Node gamma, Node beta, Node mean, Node variance, double epsilon = 1e-5) => throw new NotImplementedException();
    /// <summary>Pending.</summary>
    public static Node BatchMean(Node x) => throw new NotImplementedException();
    /// <summary>Pending.</summary>
    public static Node BatchVariance(Node x) => throw new NotImplementedException();
}
