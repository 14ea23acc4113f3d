namespace GraphDiff.Kernels;

/// <summary>
/// What a GEMM micro-kernel needs of a register of <typeparamref name="T"/>: written once against this, a kernel
/// runs on double lanes (<see cref="Lanes512"/>, <see cref="Lanes256"/>, <see cref="Lanes128"/>) and on float
/// lanes, twice as many per register (<see cref="Lanes512F"/>, <see cref="Lanes256F"/>, <see cref="Lanes128F"/>).
/// </summary>
internal interface IGemmLanes<TSelf, T> where TSelf : struct, IGemmLanes<TSelf, T> where T : unmanaged
{
    /// <summary>Elements per register.</summary>
    static abstract int Count { get; }
    static abstract unsafe TSelf Load(T* source);
    unsafe void Store(T* destination);
    static abstract TSelf Splat(T value);
    /// <summary>a·b + c with one rounding.</summary>
    static abstract TSelf Fma(TSelf a, TSelf b, TSelf c);
    static abstract TSelf operator *(TSelf a, TSelf b);
}
