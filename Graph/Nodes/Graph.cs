using System.Runtime.CompilerServices;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace GraphDiff;

/// <summary>
/// Creates the leaves of a graph: trainable variables, inputs fed at evaluation, and constants. Operations
/// (in <c>Op</c>, and the C# operators) build the rest. Each leaf records the source line that created it.
/// </summary>
public static partial class Graph
{
    /// <summary>A 1×1 trainable variable, e.g. <c>Graph.Variable("a", 5)</c>.</summary>
    public static Variable Variable(string name, double value,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Variable(name, DenseMatrix.Create(1, 1, value), file, line);

    /// <summary>A trainable variable holding <paramref name="value"/> (kept, not copied).</summary>
    public static Variable Variable(string name, Matrix<double> value,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        return new Variable(name, value, SourceLocation.Resolve(file, line));
    }

    /// <summary>
    /// A trainable variable of any rank, e.g. a convolution's kernel <c>Shape.Of(5, 5, 1, 8)</c> (f, f, n_C_prev, n_C),
    /// holding <paramref name="value"/> (kept, not copied) as its storage: a <see cref="Shape.Rows"/>×<see cref="Shape.Columns"/>
    /// matrix whose rows run over every axis but the last in row-major order.
    /// </summary>
    public static Variable Variable(string name, Shape shape, Matrix<double> value,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        return new Variable(name, shape, value, SourceLocation.Resolve(file, line));
    }

    /// <summary>A trainable variable from a row-major array literal, e.g. <c>{ { 1, 2 }, { 3, 4 } }</c>.</summary>
    public static Variable Variable(string name, double[,] values,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Variable(name, DenseMatrix.OfArray(values), file, line);

    /// <summary>
    /// An input fed at evaluation time. Columns default to <see cref="Shape.Batch"/>: examples are columns, and
    /// their number m is fixed by what is fed, so one graph serves any number of examples.
    /// </summary>
    public static Input Input(string name, int rows, int columns = Shape.Batch,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new Input(name, new Shape(rows, columns), SourceLocation.Resolve(file, line));
    }

    /// <summary>
    /// An input of any rank fed at evaluation time, e.g. a batch of images <c>Shape.Of(28, 28, 1, Shape.Batch)</c>
    /// (the course's (n_H, n_W, n_C, m)). It is fed a <see cref="Shape.Rows"/>×m matrix: one column per example,
    /// its rows running over the leading axes in row-major order (so an MNIST image's 784 pixels, row after row).
    /// </summary>
    public static Input Input(string name, Shape shape,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new Input(name, shape, SourceLocation.Resolve(file, line));
    }

    /// <summary>A 1×1 constant; prints as the number.</summary>
    public static Constant Constant(double value,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        new(Shape.Scalar, value, null, SourceLocation.Resolve(file, line));

    /// <summary>A 1×1 constant created at <paramref name="location"/> (for code that builds nodes on its caller's behalf, such as operators).</summary>
    public static Constant Constant(double value, SourceLocation location) =>
        new(Shape.Scalar, value, null, SourceLocation.Resolve(location));

    /// <summary>A constant matrix (kept, not copied), optionally named.</summary>
    public static Constant Constant(Matrix<double> value, string? name = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(value);
        // Kept, not copied (a dense matrix's own storage; anything else is densified once).
        return new Constant(Tensor.Of(value), name, SourceLocation.Resolve(file, line));
    }

    /// <summary>
    /// A constant of any rank (kept, not copied), optionally named: <paramref name="value"/> is its storage, a
    /// <see cref="Shape.Rows"/>×<see cref="Shape.Columns"/> matrix whose rows run over every axis but the last in row-major order.
    /// </summary>
    public static Constant Constant(Shape shape, Matrix<double> value, string? name = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new Constant(shape, Tensor.Of(value), name, SourceLocation.Resolve(file, line));
    }

    /// <summary>A constant of <paramref name="shape"/> (which may have the batch dimension) filled with one number.</summary>
    public static Constant Filled(Shape shape, double value, string? name = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        return new Constant(shape, value, name, SourceLocation.Resolve(file, line));
    }
}
