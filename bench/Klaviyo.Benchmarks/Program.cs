using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Klaviyo.Benchmarks;

// `harness` runs the two-process loopback harness of issue 16 (floor, FL, the generated operation and its variants);
// `throughput` runs the loopback throughput harness (raw HttpClient floor vs. the live interpreter);
// `memory` streams a long listing through PaginateAsync and prints peak managed memory;
// `alloc` prints bytes per call of the pure stages;
// anything else goes to BenchmarkDotNet (e.g. `--filter '*' --inProcess`).
if (args.Length > 0 && args[0] == "alloc")
    return AllocationProbe.Run(args[1..]);
if (args.Length > 0 && args[0] == "harness")
    return await Harness.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "throughput")
    return await Throughput.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "memory")
    return await PaginationMemory.RunAsync(args[1..]);

// ShortRun (1 launch, 3 warm-up and 3 measured iterations) is the base job: command-line options such as
// `--inProcess` apply to it, and `--job default` asks for the long run instead.
var config = DefaultConfig.Instance.AddJob(Job.ShortRun.AsDefault());
BenchmarkSwitcher.FromAssembly(typeof(Throughput).Assembly).Run(args, config);
return 0;
