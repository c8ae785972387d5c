using BenchmarkDotNet.Running;
using Keelson.Bench;

// dotnet run -c Release --project bench/Keelson.Bench -- --filter '*' [--job short]
// dotnet run -c Release --project bench/Keelson.Bench -- --export-validate-inputs FILE   (input of tests/schema/kubernetes-models/bench.mjs)
// dotnet run -c Release --project bench/Keelson.Bench -- --night-simulation   (seed 001's night, docs/performance.md)
if (args is ["--night-simulation"])
{
    System.Console.WriteLine(await NightSimulation.RunAsync());
    return;
}

// dotnet run -c Release --project bench/Keelson.Bench -- --inference [SECONDS]   (raw ONNX Runtime vs the V2 endpoint; docs/performance.md)
if (args is ["--inference", ..])
{
    await InferenceBench.RunAsync(TimeSpan.FromSeconds(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5));
    return;
}

// dotnet run -c Release --project bench/Keelson.Bench -- --ws-fanout URL [SUBSCRIBERS] [PUSHES]   (bench/http/monitoring.sh)
if (args is ["--ws-fanout", var server, ..])
{
    await SocketFanOut.RunAsync(new Uri(server), args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000,
        args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 50);
    return;
}

// dotnet run -c Release --project bench/Keelson.Bench -- --sandbox-facade [WATCHES] [CHANGES] [PODS]   (watch fan-out and paged lists on the sandbox API facade)
if (args is ["--sandbox-facade", ..])
{
    int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    await SandboxFacadeBench.RunAsync(Arg(1, 1000), Arg(2, 10_000), Arg(3, 10_000));
    return;
}

// dotnet run -c Release --project bench/Keelson.Bench -- --large-sandbox DATA_DIRECTORY [NODES] [PODS]   (bench/http/cluster-view.sh)
if (args is ["--large-sandbox", var data, ..])
{
    await Keelson.Testing.LargeSandbox.WriteAsync(data, "large", args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000,
        args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 10_000);
    return;
}

if (args is ["--export-validate-inputs", var path])
{
    ValidateBenchmarks.ExportInputs(path);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(PlanBenchmarks).Assembly).Run(args);
