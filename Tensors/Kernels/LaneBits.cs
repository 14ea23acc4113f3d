using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphDiff.Kernels;

/// <summary>Shared constants of <see cref="ILanes{T}"/> implementations.</summary>
internal static class LaneBits
{
    /// <summary>2^52 + 1023: adding it to an integral k leaves k + 1023 in the low mantissa bits, ready to shift into the exponent.</summary>
    public const double ExponentBias = 4503599627371519.0;
    public const ulong SignMask = 0x8000_0000_0000_0000UL;

    /// <summary>2^23 + 127: the float form of <see cref="ExponentBias"/>, for shifting k + 127 into a float's exponent.</summary>
    public const float ExponentBiasSingle = 8388735.0f;
    public const uint SignMaskSingle = 0x8000_0000U;
}
