using System.Globalization;

namespace GraphDiff;

/// <summary>
/// An operation along an axis of its operand, as <see cref="Op.Sum(Node, int?, string, int)"/> and <see cref="Op.Count"/> are: null for
/// all elements, 0 down each column, 1 across each row. Saved graphs hold the axis as the attribute "axis"
/// (absent for all), and the emitted code passes it on.
/// </summary>
internal abstract class AxisOperation(int? axis) : Operation
{
    /// <summary>null: all elements; 0: down each column; 1: across each row.</summary>
    public int? Axis { get; } = axis;

    /// <summary>Over all elements, any rank; along axis 0 or 1, matrices (the rank-N reductions take axes of their own).</summary>
    public override bool AcceptsAnyRank => Axis is null;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, double> Attributes => Axis is { } a ? new Dictionary<string, double> { ["axis"] = a } : base.Attributes;

    /// <summary>The emitted code's call <c>Bp.function(x, axis)</c>.</summary>
    protected static string CodeAlong(string function, int? axis) =>
        $"Bp.{function}({{0}}, {(axis is { } k ? k.ToString(CultureInfo.InvariantCulture) : "null")})";

    /// <summary>The axis a saved graph holds (absent for "all"), refusing any but 0 and 1.</summary>
    protected static int? AxisOf(IReadOnlyDictionary<string, double> attributes) =>
        !attributes.TryGetValue("axis", out var a) ? null
        : a is 0 or 1 ? (int)a : throw new ArgumentOutOfRangeException(nameof(attributes), $"the attribute 'axis' must be 0 or 1, got {a}");
}
