using System.Runtime.CompilerServices;

namespace GraphDiff;

/// <summary>Registers the built-in operations' rewrite rules with the compiler when this library loads.</summary>
internal static class BuiltInRules
{
#pragma warning disable CA2255 // The rules must be known before any graph of these operations is compiled; loading the library is that moment.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        RewriteRule[] rules =
        [
            // Stability, tried first at every node.
            new BinaryCrossEntropyOfSigmoid(), new LogOfExp(), new LogOfSoftmax(), new LogOfSigmoid(),
            new HandWrittenBinaryCrossEntropy(), new HandWrittenSoftmaxCrossEntropy(),
            // Simplification.
            new ConstantFolding(), new AdditiveIdentity(), new MultiplicativeIdentity(), new DoubleNegation(),
            new DoubleTranspose(), new TransposeIntoProduct(), new SmallPowers(), new BroadcastToOwnShape(),
            new ScalarBroadcastInProduct(), new ScalarFactorOut(), new ScalarConstantsTogether(), new ReLUGradientAtMaxima(), new BiasGradientThroughScatter(),
        ];
        foreach (var rule in rules) Compiler.AddRule(rule);
    }
}
