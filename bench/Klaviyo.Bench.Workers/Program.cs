// Several worker processes on one account and one tier, against a stand-in enforcing Klaviyo's burst and steady
// windows (bench: `dotnet run -c Release --project bench/Klaviyo.Bench.Workers`). For 1, 2 and 4 processes it runs a
// fixed amount of work three ways — the official SDKs' way (no pacing, exponential retry on 429), the in-process
// CatalogRateLimiter in each process, and the shared RedisRateLimiter — and prints a Markdown table.
//   --calls 100          requests in total, split between the processes
//   --concurrency 16     concurrent calls per process
//   --processes 1,2,4    process counts
//   --modes sdk,in-process,redis
//   --burst 10/1s --steady 50/20s   the tier (count/window; windows in s or ms)
//   --latency 0          ms the stand-in waits between admitting a request and answering it
//   --margin 0.01        the Redis limiter's margin
//   worker …             (internal) one worker process
using Klaviyo.Bench.Workers;

return args.Length > 0 && args[0] == "worker"
    ? await Worker.RunAsync(args[1..])
    : await Coordinator.RunAsync(args);
