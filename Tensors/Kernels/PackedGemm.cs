using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphDiff.Kernels;

/// <summary>
/// The blocked product (the BLIS loop order): for each KC-deep slice of k, op(B) is packed into NR-wide row
/// panels that stay in L1 while a packed MC×KC block of op(A) (MR-tall column panels) stays in L2; the
/// micro-kernel sweeps the block. Packing reads through op(·), which is how transposes cost nothing.
/// Threads split C into column (or row) ranges, each with its own packing buffers.
/// </summary>
/// <remarks>Generic in the element: a float product keeps the double one's panels in bytes (twice the depth, half
/// the panels of A), so each stays in the cache level it was tuned for.</remarks>
// The hot methods are marked AggressiveOptimization: tier-0 code for a 24-accumulator vector kernel runs
// ~15× slower, and a product called only a few times would otherwise never leave tier 0.
internal static unsafe class PackedGemm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly int Kc = 384 * sizeof(double) / sizeof(T);
    private static readonly int McPanels = 12 * sizeof(T) / sizeof(double);
    private const int NcPanels = 128;

    /// <summary>Row ranges up to this size read op(B) in place instead of packing it (tuned on the course shapes: on one AVX2 core W·X of 20×12288 by 12288×209 went from 19 to 26 GFLOP/s, 128×784 by 784×8000 from 22 to 32).</summary>
    private const int InPlaceMaxRows = 192;

    /// <summary>
    /// The same for a transposed B on the 256- and 128-bit kernels, whose B panel is then six elements of a new row at
    /// every p (a new cache line, often a new page): dZ·Xᵀ of 128×8000 by (784×8000)ᵀ ran at 20 GFLOP/s read in place
    /// against 29 packed on one AVX2 core, while 20 rows (the cat classifier's dW1) still gained 15.5 → 18.3.
    /// </summary>
    private const int InPlaceMaxRowsTransposed = 32;

    [ThreadStatic] private static T[]? packA, packB, scratch;


    /// <summary>
    /// C := α·op(A)·op(B) + β·C; returns whether <paramref name="finished"/> was told of every column (see
    /// <see cref="ColumnsFinished"/>): it is when each thread computes whole columns, not when threads split the rows.
    /// </summary>
    public static bool Run(GemmOperands<T> o, int m, int n, int k, GemmKernel kernel, int threads, Action<int, int, int>? finished = null)
    {
        // A float register holds twice the doubles' lanes: the vector tiles are twice as tall.
        int lanes = sizeof(double) / sizeof(T);
        var (mr, nr) = kernel switch
        {
            GemmKernel.Vector512 => (MicroKernels.Mr512 * lanes, MicroKernels.Nr512),
            GemmKernel.Vector256 => (MicroKernels.Mr256 * lanes, MicroKernels.Nr256),
            GemmKernel.Vector128 => (MicroKernels.Mr128 * lanes, MicroKernels.Nr128),
            _ => (MicroKernels.MrScalar, MicroKernels.NrScalar),
        };
        if (threads <= 1) { RunRange(o, 0, m, 0, n, k, kernel, mr, nr, finished, 0); return true; }
        return RunThreaded(o, m, n, k, kernel, threads, mr, nr, finished);
    }

    private static bool RunThreaded(GemmOperands<T> o, int m, int n, int k, GemmKernel kernel, int threads, int mr, int nr, Action<int, int, int>? finished)
    {
        int columnUnits = (n + nr - 1) / nr, rowUnits = (m + mr - 1) / mr;
        bool splitColumns = SplitColumns(m, n, k, mr, nr, threads, kernel, o.TransposeA, o.TransposeB);
        int units = splitColumns ? columnUnits : rowUnits;
        int parts = Math.Min(threads, units);
        // The product's description travels as the job's state and the body is static: a threaded product allocates nothing.
        KernelThreads.For(parts, new Split(o, m, n, k, kernel, mr, nr, units, parts, splitColumns, finished), static (s, t) =>
        {
            int u0 = (int)((long)s.Units * t / s.Parts), u1 = (int)((long)s.Units * (t + 1) / s.Parts);
            if (s.Columns) RunRange(s.O, 0, s.M, u0 * s.Nr, Math.Min(s.N, u1 * s.Nr), s.K, s.Kernel, s.Mr, s.Nr, s.Finished, t);
            else RunRange(s.O, u0 * s.Mr, Math.Min(s.M, u1 * s.Mr), 0, s.N, s.K, s.Kernel, s.Mr, s.Nr, s.Parts == 1 ? s.Finished : null, t);
        });
        // A thread that computes some of the rows finishes no column on its own: the caller reports them all afterwards.
        return splitColumns || parts <= 1;
    }

    /// <summary>
    /// Whether to split C's columns rather than its rows among <paramref name="threads"/>: the split whose busiest thread
    /// does clearly least, counting its micro-tiles whole (a ragged tile costs a full one) and what it packs. Splitting columns
    /// makes every thread pack all of op(A) (m·k); splitting rows, all of op(B) (k·n) unless the kernel reads B in place.
    /// Whole tiles matter when there are few: 128 rows are three 48-row float tiles, split 48 | 80, against 8 + 8
    /// column tiles of a 64-column C (the float mini-batch's W1·X ran 1.3× faster on two cores than on one, split by rows).
    /// </summary>
    private static bool SplitColumns(int m, int n, int k, int mr, int nr, int threads, GemmKernel kernel, bool transposeA, bool transposeB)
    {
        // A packed element costs about two multiply-adds when its lines are copied whole (a load and a store against two
        // FMAs a cycle on whole registers), three times that when gathered one by one (A transposed, B not: see Pack).
        long packA = transposeA ? 6 : 2, packB = transposeB ? 2 : 6;
        int columnUnits = (n + nr - 1) / nr, rowUnits = (m + mr - 1) / mr;
        long Cost(bool columns)
        {
            int units = columns ? columnUnits : rowUnits, parts = Math.Min(threads, units);
            int busiest = (units + parts - 1) / parts;
            long rows = columns ? (long)rowUnits * mr : (long)busiest * mr, cols = columns ? (long)busiest * nr : (long)columnUnits * nr;
            long rowsPacked = columns ? m : Math.Min(m, busiest * mr), colsPacked = columns ? Math.Min(n, busiest * nr) : n;
            bool bInPlace = ReadsBInPlace(kernel, rowsPacked, transposeB);
            return rows * cols * k + packA * rowsPacked * k + (bInPlace ? 0 : packB * colsPacked * k);
        }
        long byColumns = Cost(true), byRows = Cost(false);
        // Within a tenth of each other the count misses what decides (C's writes, B read in place by every thread): split
        // the longer side, so the smaller operand is the one packed twice (tuned on the course's shapes before this count).
        if (Math.Abs(byColumns - byRows) * 10 > Math.Max(byColumns, byRows)) return byColumns < byRows;
        return n >= m ? columnUnits >= threads || columnUnits >= rowUnits : rowUnits < threads && columnUnits >= rowUnits;
    }

    /// <summary>A threaded product: its operands and sizes, and how C is cut (<see cref="Units"/> micro-tiles of its columns or rows into <see cref="Parts"/>).</summary>
    private readonly record struct Split(GemmOperands<T> O, int M, int N, int K, GemmKernel Kernel, int Mr, int Nr, int Units, int Parts, bool Columns,
        Action<int, int, int>? Finished);

    private static T[] Buffer(ref T[]? buffer, int length)
    {
        // Pinned so the kernels can hold raw pointers; kept per thread so a training loop allocates once.
        if (buffer is null || buffer.Length < length) buffer = GC.AllocateUninitializedArray<T>(length, pinned: true);
        return buffer;
    }

    /// <summary>
    /// C[i0..i1, j0..j1]; with <paramref name="finished"/> (only when the range is all of C's rows), each run of columns
    /// is reported as part <paramref name="part"/> once its last depth slice is written, while it is still in the cache.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunRange(GemmOperands<T> o, int i0, int i1, int j0, int j1, int k, GemmKernel kernel, int mr, int nr,
        Action<int, int, int>? finished, int part)
    {
        int mc = mr * McPanels, nc = nr * NcPanels;
        // Slices of equal depth: 784 = 392 + 392 rather than 768 + 16, whose thin second slice reads and writes every
        // tile of C again for almost no arithmetic.
        int slices = Math.Max(1, (k + Kc - 1) / Kc), depth = (k + slices - 1) / slices;
        var a = Buffer(ref packA, mc * Kc);
        var b = Buffer(ref packB, Kc * nc);
        var tile = Buffer(ref scratch, mr * nr);
        // With few rows each element of op(B) is used only a few times, so packing it costs as much as the
        // arithmetic: the kernels that take strides then read B where it lies (whole panels; a ragged last one is packed).
        bool inPlace = ReadsBInPlace(kernel, i1 - i0, o.TransposeB);
        fixed (T* pa = a, pb = b, cBase = o.C, pt = tile, bBase = o.B)
        {
            T* pc = cBase + o.OffsetC, source = bBase + o.OffsetB;
            for (int jc = j0; jc < j1; jc += nc)
            {
                int ncur = Math.Min(nc, j1 - jc);
                int whole = ncur - ncur % nr;
                int reported = jc;   // the columns before this were reported
                for (int p0 = 0; p0 < k; p0 += depth)
                {
                    int kc = Math.Min(depth, k - p0);
                    bool lastSlice = p0 + kc >= k;
                    T beta = p0 == 0 ? o.Beta : T.One;
                    if (!inPlace) PackB(o, p0, kc, jc, ncur, nr, b);
                    else if (whole < ncur) PackB(o, p0, kc, jc + whole, ncur - whole, nr, b);
                    for (int ic = i0; ic < i1; ic += mc)
                    {
                        int mcur = Math.Min(mc, i1 - ic);
                        PackA(o, ic, mcur, p0, kc, mr, a);
                        bool reports = finished is not null && lastSlice && ic + mcur >= i1;
                        for (int jr = 0; jr < ncur; jr += nr)
                        {
                            for (int ir = 0; ir < mcur; ir += mr)
                            {
                                T* c = pc + (ic + ir) + (long)(jc + jr) * o.Ldc;
                                int rows = Math.Min(mr, mcur - ir), columns = Math.Min(nr, ncur - jr);
                                T* panelA = pa + ir * kc;
                                if (inPlace && jr < whole)
                                {
                                    int j = jc + jr;
                                    // Element (p, j) of op(B) lies at B[j + p·ldb] when B is transposed, else at B[p + j·ldb].
                                    if (o.TransposeB) StridedTile(kernel, kc, panelA, source + j + (long)p0 * o.Ldb, o.Ldb, 1, c, o.Ldc, o.Alpha, beta, rows, columns, pt);
                                    else StridedTile(kernel, kc, panelA, source + p0 + (long)j * o.Ldb, 1, o.Ldb, c, o.Ldc, o.Alpha, beta, rows, columns, pt);
                                    continue;
                                }
                                T* panelB = pb + (inPlace ? 0 : jr * kc);
                                Tile(kernel, kc, panelA, panelB, nr, c, o.Ldc, o.Alpha, beta, rows, columns, pt);
                            }
                            if (!reports) continue;
                            // The panel's columns are final: hand them on in runs of about ColumnsFinished.Elements.
                            int end = jc + Math.Min(ncur, jr + nr);
                            if ((long)(end - reported) * (i1 - i0) >= ColumnsFinished.Elements || end == jc + ncur)
                            {
                                finished!(part, reported, end);
                                reported = end;
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>One micro-tile by the kernel asked for, at this element type (the type tests fold away when compiled).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(GemmKernel kernel, int kc, T* pa, T* pb, int nr, T* c, int ldc, T alpha, T beta, int rows, int columns, T* pt)
    {
        if (typeof(T) == typeof(double))
        {
            double* a = (double*)pa, b = (double*)pb, cd = (double*)c, t = (double*)pt;
            switch (kernel)
            {
                case GemmKernel.Vector512 when rows <= 16: NarrowKernel512.Run(kc, a, b, nr, 1, cd, ldc, Double(alpha), Double(beta), rows, columns, t); break;
                case GemmKernel.Vector512: MicroKernels.Kernel512(kc, a, b, nr, 1, cd, ldc, Double(alpha), Double(beta), rows, columns, t); break;
                case GemmKernel.Vector256: MicroKernels.TwoBySix<Lanes256, double>(kc, a, b, nr, 1, cd, ldc, Double(alpha), Double(beta), rows, columns, t); break;
                case GemmKernel.Vector128: MicroKernels.TwoBySix<Lanes128, double>(kc, a, b, nr, 1, cd, ldc, Double(alpha), Double(beta), rows, columns, t); break;
                default: MicroKernels.KernelScalar(kc, a, b, cd, ldc, Double(alpha), Double(beta), rows, columns, t); break;
            }
        }
        else
        {
            float* a = (float*)pa, b = (float*)pb, cf = (float*)c, t = (float*)pt;
            float alphaF = Unsafe.As<T, float>(ref alpha), betaF = Unsafe.As<T, float>(ref beta);
            switch (kernel)
            {
                case GemmKernel.Vector512: MicroKernels.ThreeByEight<Lanes512F, float>(kc, a, b, cf, ldc, alphaF, betaF, rows, columns, t); break;
                case GemmKernel.Vector256: MicroKernels.TwoBySix<Lanes256F, float>(kc, a, b, nr, 1, cf, ldc, alphaF, betaF, rows, columns, t); break;
                case GemmKernel.Vector128: MicroKernels.TwoBySix<Lanes128F, float>(kc, a, b, nr, 1, cf, ldc, alphaF, betaF, rows, columns, t); break;
                default: MicroKernels.KernelScalar(kc, a, b, cf, ldc, alphaF, betaF, rows, columns, t); break;
            }
        }
    }

    /// <summary>Whether <paramref name="kernel"/> has a form that reads op(B) through strides at this element type.</summary>
    private static bool ReadsBInPlace(GemmKernel kernel) =>
        kernel is GemmKernel.Vector256 or GemmKernel.Vector128 || (kernel == GemmKernel.Vector512 && typeof(T) == typeof(double));

    /// <summary>Whether a range of <paramref name="rows"/> of C reads op(B) where it lies rather than packing it.</summary>
    private static bool ReadsBInPlace(GemmKernel kernel, long rows, bool transposeB) =>
        ReadsBInPlace(kernel) && rows <= (transposeB && kernel != GemmKernel.Vector512 ? InPlaceMaxRowsTransposed : InPlaceMaxRows);

    /// <summary>One micro-tile reading op(B) where it lies: element (p, j) at <c>pb[p·rowStride + j·columnStride]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StridedTile(GemmKernel kernel, int kc, T* pa, T* pb, long rowStride, long columnStride, T* c, int ldc, T alpha, T beta, int rows, int columns, T* pt)
    {
        if (typeof(T) == typeof(double))
        {
            double* a = (double*)pa, b = (double*)pb, cd = (double*)c, t = (double*)pt;
            switch (kernel)
            {
                case GemmKernel.Vector512 when rows <= 16: NarrowKernel512.Run(kc, a, b, rowStride, columnStride, cd, ldc, Double(alpha), Double(beta), rows, columns, t); break;
                case GemmKernel.Vector512: MicroKernels.Kernel512(kc, a, b, rowStride, columnStride, cd, ldc, Double(alpha), Double(beta), rows, columns, t); break;
                case GemmKernel.Vector256: MicroKernels.TwoBySix<Lanes256, double>(kc, a, b, rowStride, columnStride, cd, ldc, Double(alpha), Double(beta), rows, columns, t); break;
                default: MicroKernels.TwoBySix<Lanes128, double>(kc, a, b, rowStride, columnStride, cd, ldc, Double(alpha), Double(beta), rows, columns, t); break;
            }
        }
        else
        {
            float* a = (float*)pa, b = (float*)pb, cf = (float*)c, t = (float*)pt;
            float alphaF = Unsafe.As<T, float>(ref alpha), betaF = Unsafe.As<T, float>(ref beta);
            if (kernel == GemmKernel.Vector256) MicroKernels.TwoBySix<Lanes256F, float>(kc, a, b, rowStride, columnStride, cf, ldc, alphaF, betaF, rows, columns, t);
            else MicroKernels.TwoBySix<Lanes128F, float>(kc, a, b, rowStride, columnStride, cf, ldc, alphaF, betaF, rows, columns, t);
        }
    }

    private static double Double(T value) => Unsafe.As<T, double>(ref value);

    /// <summary>Packs op(A)[i0..i0+mc, p0..p0+kc] as MR-tall panels, each stored column by column; rows past the edge are zero.</summary>
    private static void PackA(GemmOperands<T> o, int i0, int mc, int p0, int kc, int mr, T[] dst) =>
        Pack(o.A, o.OffsetA, o.Lda, alongPanel: !o.TransposeA, i0, mc, p0, kc, mr, dst);

    /// <summary>Packs op(B)[p0..p0+kc, j0..j0+nc] as NR-wide panels, each stored row by row; columns past the edge are zero.</summary>
    private static void PackB(GemmOperands<T> o, int p0, int kc, int j0, int nc, int nr, T[] dst) =>
        Pack(o.B, o.OffsetB, o.Ldb, alongPanel: o.TransposeB, j0, nc, p0, kc, nr, dst);

    /// <summary>
    /// Packs the lines q0..q0+count (rows of op(A), columns of op(B)) over p0..p0+kc as panels of
    /// <paramref name="width"/> lines, element (q, p) at <c>panel[p·width + q]</c>; lines past the edge are zero.
    /// Element (q, p) lies at <c>m[offset + q + p·ld]</c> when <paramref name="alongPanel"/> (a panel's slice at one
    /// p is contiguous and copied whole), else at <c>m[offset + p + q·ld]</c> (one line is contiguous, and scattered).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pack(T[] m, int offset, int ld, bool alongPanel, int q0, int count, int p0, int kc, int width, T[] dst)
    {
        // Packing was a sixth of a 1024² product's time on one core (a span copy per 64-byte slice, a new page per
        // slice), and every thread that splits C packs the other operand whole: raw pointers, reads in source order.
        fixed (T* source = m, panels = dst)
        {
            if (count % width != 0) new Span<T>(panels + (long)(count - count % width) * kc, width * kc).Clear();   // the ragged panel's missing lines are zero
            if (alongPanel)
            {
                // The count lines at each p are contiguous in the source: read them in order (one run per p, not one per
                // panel and p, which touched a new page every time on a wide matrix) and deal them out to the panels.
                for (int p = 0; p < kc; p++)
                {
                    T* from = source + offset + q0 + (long)(p0 + p) * ld;
                    for (int qr = 0; qr < count; qr += width)
                    {
                        int bytes = Math.Min(width, count - qr) * sizeof(T);
                        byte* a = (byte*)(from + qr), b = (byte*)(panels + (long)qr * kc + (long)p * width);
                        int i = 0;
                        for (; i + 16 <= bytes; i += 16) Vector128.Store(Vector128.Load(a + i), b + i);
                        for (; i < bytes; i += sizeof(T)) *(T*)(b + i) = *(T*)(a + i);
                    }
                }
            }
            else
            {
                // Each line is contiguous over p: read a panel's lines side by side and write the panel in order, so the
                // writes are sequential and the reads a few sequential streams.
                for (int qr = 0; qr < count; qr += width)
                {
                    int lines = Math.Min(width, count - qr);
                    T* panel = panels + (long)qr * kc;
                    for (int p = 0; p < kc; p++)
                    {
                        T* from = source + offset + p0 + p + (long)(q0 + qr) * ld;
                        T* to = panel + (long)p * width;
                        for (int q = 0; q < lines; q++) to[q] = from[(long)q * ld];
                    }
                }
            }
        }
    }
}
