namespace GraphDiff.Kernels;

/// <summary>
/// A register of <typeparamref name="T"/> as memory sees it: loads, stores and the broadcast of one element;
/// written once against this, a loop runs on double lanes (<see cref="Lanes512"/>, <see cref="Lanes256"/>,
/// <see cref="Lanes128"/>, <see cref="Lane1"/>) and on float lanes, twice as many per register (<see cref="Lanes512F"/>,
/// <see cref="Lanes256F"/>, <see cref="Lanes128F"/>, <see cref="Lane1F"/>). The arithmetic of the vector math is
/// <see cref="ILanes{T}"/>, which both kinds implement too.
/// </summary>
internal interface ILanesOf<TSelf, T> where TSelf : struct, ILanesOf<TSelf, T> where T : unmanaged
{
    /// <summary>Elements per register.</summary>
    static abstract int Count { get; }
    static abstract unsafe TSelf Load(T* source);
    unsafe void Store(T* destination);
    static abstract TSelf Load(ReadOnlySpan<T> source);
    void Store(Span<T> destination);
    /// <summary>Every lane set to <paramref name="value"/>, with no conversion (the GEMM kernels' broadcast of B).</summary>
    static abstract TSelf Broadcast(T value);
}
