using System.Globalization;
using BenchmarkDotNet.Running;
using GraphDiff.Benchmarks;
using GraphDiff.Kernels;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args.Length > 0 && args[0] == "quick")
{
    // Quick mode: one run, every figure a ratio against a baseline measured in the same run.
    Console.WriteLine($"GraphDiff quick benchmark: {Environment.ProcessorCount} cores, GEMM kernel {Gemm.Best}");
    double one = Peak.OneCore(), all = Peak.AllCores();
    Console.WriteLine($"Measured FMA peak: {one:F1} GFLOP/s on one core, {all:F1} GFLOP/s on all cores");
    Console.WriteLine();
    var report = new Report { OneCorePeak = one };
    GemmBenchmarks.Run(one, all, report);
    Console.WriteLine();
    ElementwiseBenchmarks.Run(report);
    Console.WriteLine();
    new DeepNetStep().Run(report);
    int missed = report.CheckTargets();
    return args.Contains("--strict") && missed > 0 ? 1 : 0;
}

// Careful numbers: BenchmarkDotNet (e.g. `dotnet run -c Release --project benchmarks -- --filter *Gemm*`).
BenchmarkSwitcher.FromAssembly(typeof(Report).Assembly).Run(args);
return 0;
