using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphDiff.Kernels;

/// <summary>Shared constants of <see cref="ILanes{T}"/> implementations.</summary>
internal static class LaneBits
{
    /// <summary>2^52 + 1023: adding it to an integral k leaves k + 1023 in the low mantissa bits, ready to shift into the exponent.</summary>
    public const double ExponentBias = 4503599627371519.0;
    /// <summary>
    /// 1.5·2^52 + 1023: x·log₂e + Shifter, rounded once, is an integer k plus Shifter for |k| &lt; 2^51, with k + 1023
    /// in the low bits (the 1.5 keeps the sum in [2^52, 2^53), where the spacing is 1, for negative k too).
    /// </summary>
    public const double Shifter = 6755399441056767.0;
    public const ulong SignMask = 0x8000_0000_0000_0000UL;

    /// <summary>2^23 + 127: the float form of <see cref="ExponentBias"/>, for shifting k + 127 into a float's exponent.</summary>
    public const float ExponentBiasSingle = 8388735.0f;
    /// <summary>1.5·2^23 + 127: the float form of <see cref="Shifter"/>.</summary>
    public const float ShifterSingle = 12583039.0f;
    public const uint SignMaskSingle = 0x8000_0000U;
}
