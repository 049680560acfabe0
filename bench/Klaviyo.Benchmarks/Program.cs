using BenchmarkDotNet.Running;
using Klaviyo.Benchmarks;

// `throughput` runs the loopback throughput harness (raw HttpClient floor vs. the live interpreter);
// anything else goes to BenchmarkDotNet (e.g. `--filter * --inProcess`).
if (args.Length > 0 && args[0] == "alloc")
    return AllocationProbe.Run();
if (args.Length > 0 && args[0] == "throughput")
    return await Throughput.RunAsync(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Throughput).Assembly).Run(args);
return 0;
