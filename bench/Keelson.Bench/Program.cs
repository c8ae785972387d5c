using BenchmarkDotNet.Running;
using Keelson.Bench;

// dotnet run -c Release --project bench/Keelson.Bench -- --filter '*' [--job short]
BenchmarkSwitcher.FromAssembly(typeof(PlanBenchmarks).Assembly).Run(args);
