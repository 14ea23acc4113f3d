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
    /// <summary>1.0's bits less √½'s: added to a double's bits, it carries into the exponent field where the mantissa is ≥ √2.</summary>
    public const ulong SqrtHalfOffset = 0x3FF0_0000_0000_0000UL - 0x3FE6_A09E_667F_3BCDUL;
    /// <summary>1.0's bits.</summary>
    public const ulong One = 0x3FF0_0000_0000_0000UL;
    /// <summary>2^52's bits: an integer below 2^52 in the low bits of these is 2^52 + that integer.</summary>
    public const ulong TwoTo52 = 0x4330_0000_0000_0000UL;
    public const ulong SignMask = 0x8000_0000_0000_0000UL;

    /// <summary>2^23 + 127: the float form of <see cref="ExponentBias"/>, for shifting k + 127 into a float's exponent.</summary>
    public const float ExponentBiasSingle = 8388735.0f;
    /// <summary>1.5·2^23 + 127: the float form of <see cref="Shifter"/>.</summary>
    public const float ShifterSingle = 12583039.0f;
    /// <summary>The float forms of <see cref="SqrtHalfOffset"/>, <see cref="One"/> and <see cref="TwoTo52"/> (2^23).</summary>
    public const uint SqrtHalfOffsetSingle = 0x3F80_0000U - 0x3F35_04F3U, OneSingle = 0x3F80_0000U, TwoTo23 = 0x4B00_0000U;
    public const uint SignMaskSingle = 0x8000_0000U;
}
