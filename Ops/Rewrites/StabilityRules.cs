using System.Runtime.CompilerServices;

namespace GraphDiff;

/// <summary>Registers the built-in operations' stability rules with the compiler when this library loads.</summary>
internal static class StabilityRules
{
#pragma warning disable CA2255 // The rules must be known before any graph of these operations is compiled; loading the library is that moment.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        Compiler.AddStabilityRule(new BinaryCrossEntropyOfSigmoid());
        Compiler.AddStabilityRule(new LogOfExp());
        Compiler.AddStabilityRule(new LogOfSoftmax());
    }
}
