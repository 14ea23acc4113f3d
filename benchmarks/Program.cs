using System.Globalization;
using BenchmarkDotNet.Running;
using GraphDiff.Benchmarks;
using GraphDiff.Kernels;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args.Length > 0 && args[0] == "quick")
{
    // Quick mode: one run, every figure a ratio against a baseline measured in the same run.
    Console.WriteLine($"GraphDiff quick benchmark on {Machine.CpuModel()}: {Environment.ProcessorCount} cores, GEMM kernel {Gemm.Best}");
    double one = Peak.OneCore(), all = Peak.AllCores();
    Console.WriteLine($"Measured FMA peak: {one:F1} GFLOP/s on one core, {all:F1} GFLOP/s on all cores");
    Console.WriteLine();
    var report = new Report { OneCorePeak = one };
    GemmBenchmarks.Run(one, all, report);
    Console.WriteLine();
    ElementwiseBenchmarks.Run(report);
    Console.WriteLine();
    EveryPath.Run(report);
    Console.WriteLine();
    foreach (var step in new[] { CourseStep.Deep(), CourseStep.Shallow(), CourseStep.MiniBatch() })
    {
        step.Run(report, all);
        Console.WriteLine();
    }
    ConvNetStep.Run(report, all);
    Console.WriteLine();
    ConcurrentPrediction.Run(report);
    Console.WriteLine();
    ScalarChain.Run(report);
    Console.WriteLine();
    TrainingAllocation.Run(report);
    PlanAllocation.Run(report);
    int missed = report.CheckTargets();
    return args.Contains("--strict") && missed > 0 ? 1 : 0;
}

// One part of the quick run on its own, for comparing two builds run alternately.
var parts = new Dictionary<string, (string Title, Action Run)>
{
    ["gemm"] = ("Matrix products, float64 and float32", () => GemmBenchmarks.Run(Peak.OneCore(), Peak.AllCores(), new Report())),
    ["elementwise"] = ("Elementwise kernels", () => ElementwiseBenchmarks.Run(new Report())),
    ["steps"] = ("Training steps", () => { foreach (var step in new[] { CourseStep.Deep(), CourseStep.Shallow(), CourseStep.MiniBatch() }) step.Run(new Report()); }),
    ["convnet"] = ("ConvNet training step", () => ConvNetStep.Run(new Report(), Peak.AllCores())),
    ["chain"] = ("Scalar chain", () => ScalarChain.Run(new Report())),
    ["fused"] = ("Fused chains: generated loops against the interpreter", () => ElementwiseBenchmarks.FusedChains(new Report())),
    ["paths"] = ("Every vector path", () => EveryPath.Run(new Report())),
    ["allocation"] = ("Allocation per training step and per plan.Run", () => { TrainingAllocation.Run(new Report()); PlanAllocation.Run(new Report()); }),
    ["concurrency"] = ("Concurrent prediction", () => ConcurrentPrediction.Run(new Report())),
};
if (args.Length > 0 && parts.TryGetValue(args[0], out var part))
{
    Console.WriteLine($"{part.Title} on {Machine.CpuModel()}, {Environment.ProcessorCount} cores");
    part.Run();
    return 0;
}

// Careful numbers: BenchmarkDotNet (e.g. `dotnet run -c Release --project benchmarks -- --filter *Gemm*`).
BenchmarkSwitcher.FromAssembly(typeof(Report).Assembly).Run(args);
return 0;
