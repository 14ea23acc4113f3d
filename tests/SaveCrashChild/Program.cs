// Saves generation N, N + 1, … (N from the command line) of a model to the path given, every parameter holding the generation number,
// and prints "saved N" once Save has returned (the save is acknowledged). The crash test kills it at random.
using GraphDiff;
using GraphDiff.Nn;

if (args.Length != 2 || !int.TryParse(args[1], out int first)) { Console.Error.WriteLine("usage: SaveCrashChild <model path> <first generation>"); return 2; }
var network = Network.Create([784, 256, 1]);
for (int generation = first; ; generation++)
{
    foreach (var p in network.Parameters) Tensor.Of(p.Value).Fill(generation);
    ModelFile.Save(network, args[0]);
    Console.Out.WriteLine($"saved {generation}");
    Console.Out.Flush();
}
