namespace GraphDiff;

/// <summary>
/// The element type a plan (and a network, and the trainer) computes in. A graph has none: the same graph can be
/// planned in either precision.
/// </summary>
public enum Precision
{
    /// <summary>
    /// float64, the default: about 16 significant digits. Gradient checks, the ledger, the sheets and
    /// <c>LearnerGradients</c> always evaluate in it, whatever a network trains in, so the course's 1e−7 keeps its meaning.
    /// </summary>
    Double,

    /// <summary>
    /// float32: about 7 significant digits and values up to 3.4·10³⁸, for training. Its kernels run on twice the lanes
    /// per register and its values take half the memory. A value that overflows float32 where float64 would not is
    /// reported as such (see <see cref="NonFiniteValueException"/>), never passed on as ∞.
    /// </summary>
    Single,
}
