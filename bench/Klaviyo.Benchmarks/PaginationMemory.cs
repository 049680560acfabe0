using System.Diagnostics;
using static LanguageExt.Prelude;

namespace Klaviyo.Benchmarks;

/// <summary>
/// Peak managed memory while streaming a long listing with <c>op.PaginateAsync(options)</c> from the bench server in
/// its own process (<c>--paging</c>: <c>pages</c> × <c>perPage</c> profiles, ~23 KB a page, <c>links.next</c> as
/// Klaviyo writes it). A sampler thread reads <c>GC.GetTotalMemory(false)</c> (live objects plus garbage not yet
/// collected) every 2 ms, and the consumer reads it at every page; the heap size after each GC comes from
/// <c>GC.GetGCMemoryInfo()</c>. The baseline is taken after a 20-page warm-up (JIT, connection pool) and a full
/// collection. Target: peak less than 50 MB (10^6 bytes) above the baseline.
/// </summary>
public static class PaginationMemory
{
    public static async Task<int> RunAsync(string[] args)
    {
        var pages = Arg(args, "--pages", 10_000);
        var perPage = Arg(args, "--per-page", 100);
        using var server = ServerProcess.Start($"--paging {pages} {perPage}");
        Console.WriteLine(
            $"server pid {server.Pid} on 127.0.0.1:{server.Port}: {pages} pages × {perPage} resources; "
                + $"GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, "
                + $"concurrent {AppContext.TryGetSwitch("System.GC.Concurrent", out var c) && c}"
        );

        var options = new KlaviyoOptions
        {
            ApiKey = "pk_benchmark_key",
            Protocol = "http",
            Host = "127.0.0.1",
            Port = server.Port,
            Client = Interpreter.Live(),
        };
        var listing = new RequestOperation(HttpMethod.Get, "/api/profiles")
        {
            Query = Seq1(("page[size]", perPage.ToString())),
        };

        // Warm up: JIT, the connection, the options' prepared headers.
        await foreach (var _ in listing.PaginateAsync(options, maxPages: 20)) { }
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var gcsBefore = GC.CollectionCount(0);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        long peak = baseline;
        long peakAfterGc = 0;
        using var stop = new CancellationTokenSource();
        var sampler = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Observe(ref peak, GC.GetTotalMemory(false));
                Observe(ref peakAfterGc, GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes);
                Thread.Sleep(2);
            }
        })
        {
            IsBackground = true,
            Name = "memory sampler",
        };
        sampler.Start();

        var clock = Stopwatch.StartNew();
        long resources = 0;
        var lastId = "";
        await foreach (var resource in listing.PaginateAsync(options))
        {
            resources++;
            lastId = resource.Id ?? "";
            if (resources % perPage == 0)
            {
                Observe(ref peak, GC.GetTotalMemory(false));
                var page = resources / perPage;
                if (page % (pages / 5 == 0 ? 1 : pages / 5) == 0)
                    Console.WriteLine(
                        $"  page {page, 6}: {clock.Elapsed.TotalSeconds, 6:0.0} s, heap now {Mb(GC.GetTotalMemory(false) - baseline), 6} MB above baseline, "
                            + $"after last GC {Mb(GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes - baseline), 6} MB"
                    );
            }
        }
        clock.Stop();
        stop.Cancel();
        sampler.Join();

        var expected = (long)pages * perPage;
        if (resources != expected)
            throw new InvalidOperationException($"expected {expected} resources, got {resources}");
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var process = Process.GetCurrentProcess();
        Console.WriteLine();
        Console.WriteLine(
            $"streamed {resources:N0} resources ({pages:N0} pages, last id {lastId}) in {clock.Elapsed.TotalSeconds:0.0} s "
                + $"({pages / clock.Elapsed.TotalSeconds:0} pages/s); allocated {Mb(allocated)} MB in total "
                + $"({allocated / pages / 1024} KiB a page); {GC.CollectionCount(0) - gcsBefore} gen0, "
                + $"{GC.CollectionCount(1)} gen1, {GC.CollectionCount(2)} gen2 collections"
        );
        Console.WriteLine();
        Console.WriteLine("| measure | MB |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| baseline (after warm-up and a full GC) | {Mb(baseline)} |");
        Console.WriteLine($"| peak `GC.GetTotalMemory(false)` | {Mb(peak)} |");
        Console.WriteLine($"| peak − baseline | {Mb(peak - baseline)} |");
        Console.WriteLine(
            $"| peak heap size after a GC (`GCMemoryInfo.HeapSizeBytes`) | {Mb(peakAfterGc)} |"
        );
        Console.WriteLine($"| peak working set of the process | {Mb(process.PeakWorkingSet64)} |");
        Console.WriteLine();
        var met = peak - baseline < 50_000_000;
        Console.WriteLine($"target: peak − baseline < 50 MB: {(met ? "met" : "NOT met")}");
        return 0;
    }

    private static void Observe(ref long peak, long value)
    {
        var seen = Volatile.Read(ref peak);
        while (value > seen)
        {
            var was = Interlocked.CompareExchange(ref peak, value, seen);
            if (was == seen)
                return;
            seen = was;
        }
    }

    private static string Mb(long bytes) => (bytes / 1e6).ToString("0.0");

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = System.Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
    }
}
