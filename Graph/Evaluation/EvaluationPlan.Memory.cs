using System.Numerics;
using GraphDiff.Tensors;

namespace GraphDiff;

// The values of a plan in its element type: the arena, the views into it, and the buffers of converted leaves.
public sealed partial class EvaluationPlan
{
    /// <summary>
    /// What a plan holds in its element type <typeparamref name="T"/>. Where values live is decided without it (the
    /// lay-out's offsets are counts of elements); this is the storage those decisions point into.
    /// </summary>
    private sealed partial class Memory<T>(ScheduleStep[] steps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        /// <summary>Every view starts on a 64-byte boundary of the arena, for whole-vector loads.</summary>
        public static int Alignment => 64 / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

        /// <summary>The buffer every computed value is a view of.</summary>
        public T[] Arena = [];

        /// <summary>Each step's value for the current run.</summary>
        public readonly Tensor<T>[] Values = new Tensor<T>[steps.Length];

        /// <summary>Each step's operands, gathered before its kernel runs (an array per step, so a run allocates nothing).</summary>
        public readonly Tensor<T>[][] Operands = steps.Select(s => new Tensor<T>[s.Operands.Count]).ToArray();

        /// <summary>
        /// The scratch of the parts after the first when work runs on several cores at once (a fused chain's blocks, a
        /// product's write-back): per step an operand array, and a block for each interior step of a chain, made as a part
        /// first needs it. Part 0 uses <see cref="Values"/> and <see cref="Operands"/>.
        /// </summary>
        public readonly (Tensor<T>[] Values, Tensor<T>[][] Operands)[] Parts = Enumerable.Range(1, Math.Max(0, Environment.ProcessorCount - 1))
            .Select(_ => (new Tensor<T>[steps.Length], steps.Select(s => new Tensor<T>[s.Operands.Count]).ToArray())).ToArray();

        /// <summary>Part <paramref name="part"/>'s scratch for the chain <paramref name="group"/> (its last step last), its blocks sized as part 0's.</summary>
        public (Tensor<T>[] Values, Tensor<T>[][] Operands) Part(int part, int[] group)
        {
            if (part == 0) return (Values, Operands);
            var scratch = Parts[part - 1];
            // A block holds a chain's rows (fixed by the graph, unless the batch is the rows) and a block's columns.
            for (int g = 0; g < group.Length - 1; g++)
            {
                var block = Values[group[g]];
                if (scratch.Values[group[g]].Length != block.Length)
                    scratch.Values[group[g]] = new Tensor<T>(new T[block.Length], 0, block.Rows, block.Columns, Math.Max(block.Rows, 1));
            }
            return scratch;
        }

        /// <summary>The views of each batch size laid out into the current arena.</summary>
        public readonly Dictionary<int, Tensor<T>[]> Layouts = [];

        /// <summary>The code generated for the 1×1 steps (see <see cref="UseGeneratedCode"/>), once generated; valid until the lay-outs are cleared.</summary>
        public ScalarCode<T>? Code;

        /// <summary>The loops generated for the fused chains, with <see cref="Code"/>.</summary>
        public FusedCode<T>? Loops;

        // Per slot: a buffer for a leaf held in the other precision (a double variable or fixed constant in a float
        // plan, an input fed in the other precision), grown to the largest size asked.
        private readonly T[]?[] converted = new T[]?[steps.Length];

        /// <summary>Whether <paramref name="array"/> is the slot's conversion buffer (the plan's, not the caller's storage).</summary>
        public bool IsConverted(int slot, T[] array) => ReferenceEquals(converted[slot], array);

        /// <summary>The slot's conversion buffer as a <paramref name="rows"/>×<paramref name="columns"/> tensor.</summary>
        public Tensor<T> Converted(int slot, int rows, int columns)
        {
            long length = (long)rows * columns;
            var buffer = converted[slot];
            if (buffer is null || buffer.Length < length) converted[slot] = buffer = new T[length];
            return new Tensor<T>(buffer, 0, rows, columns, Math.Max(rows, 1));
        }
    }

    /// <summary>Whether <paramref name="memory"/>'s arena is the one a kept lay-out points into.</summary>
    private static bool Holds<T>(Memory<T> memory, Array arena) where T : unmanaged, IFloatingPointIeee754<T> => ReferenceEquals(memory.Arena, arena);
}
