using System.Reflection;

namespace GraphDiff;

static partial class Op
{
    private static readonly Lazy<IReadOnlyList<Operation>> BuiltIns = new(FindBuiltIns);

    /// <summary>
    /// Every built-in operation, the one list that the registry of saved graphs, the exporters and the tests
    /// enumerate: each static field of this library that holds an operation (an <see cref="Elementwise"/> row of
    /// the table, a class's instance) or an array of them (an operation with parameters lists a few instances as
    /// its <c>Examples</c>), ordered by name. A new operation is in it by being defined.
    /// </summary>
    public static IReadOnlyList<Operation> Operations => BuiltIns.Value;

    private static IReadOnlyList<Operation> FindBuiltIns()
    {
        const BindingFlags statics = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        var found = new List<Operation>();
        // Only fields typed as operations are read: reading another would run its type's initialiser, and the registry's reads this list.
        foreach (var type in typeof(Op).Assembly.GetTypes().Where(t => !t.ContainsGenericParameters))
            foreach (var field in type.GetFields(statics).Where(f => f.IsInitOnly && HoldsOperations(f.FieldType)))
                switch (field.GetValue(null))
                {
                    case Operation operation: found.Add(operation); break;
                    case Operation[] operations: found.AddRange(operations); break;
                }
        return [.. found.Distinct().OrderBy(o => o.Name, StringComparer.Ordinal).ThenBy(o => string.Join(",", o.Attributes.Select(a => $"{a.Key}={a.Value:R}")), StringComparer.Ordinal)];
    }

    private static bool HoldsOperations(Type type) =>
        typeof(Operation).IsAssignableFrom(type) || type.IsArray && typeof(Operation).IsAssignableFrom(type.GetElementType());
}
