using System.Diagnostics;
using System.Globalization;
using Klaviyo.Tests;

namespace Klaviyo.Bench.Workers;

/// <summary>Starts the stand-in and Redis, runs each mode with 1, 2 and 4 worker processes, prints the table.</summary>
internal static class Coordinator
{
    private sealed record Outcome(int Ok, int GivenUp, int Throttled, double WorkerSeconds);

    public static async Task<int> RunAsync(string[] args)
    {
        var calls = Arguments.Int(args, "--calls", 100);
        var concurrency = Arguments.Int(args, "--concurrency", 16);
        var latency = TimeSpan.FromMilliseconds(Arguments.Double(args, "--latency", 0));
        var processes = Arguments
            .Get(args, "--processes", "1,2,4")
            .Split(',')
            .Select(int.Parse)
            .ToArray();
        var modes = Arguments.Get(args, "--modes", "sdk,in-process,redis").Split(',');
        var tier = Arguments.Tier(args);
        using var redis = await RedisProcess.StartAsync();
        var steadyRate = tier.Steady!.Count / tier.Steady.Per.TotalSeconds;
        Console.WriteLine(
            $"stand-in: {TierKey(tier)} (sliding windows; a 429 does not count), latency {latency.TotalMilliseconds:0} ms; "
                + $"{calls} calls in total, {concurrency} concurrent per process; Redis: {redis.Kind}; "
                + $"ideal time for {calls} calls from empty windows: {Ideal(tier, calls, latency):0.00} s"
        );
        Console.WriteLine();
        Console.WriteLine(
            "| pacing | processes | done | given up | 429s (server) | wall s | ideal s | efficiency | rate ÷ steady max |"
        );
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var p in processes)
        foreach (var mode in modes)
        {
            // A fresh stand-in (empty windows) and a fresh key prefix for every run.
            await using var server = await TieredRateLimitedServer.StartAsync(
                path => path == "/warm-up" ? null : tier,
                latency
            );
            var (outcomes, wall) = await RunWorkersAsync(
                args,
                mode,
                p,
                calls,
                concurrency,
                server.Server.Port,
                redis
            );
            var ok = outcomes.Sum(o => o.Ok);
            var ideal = Ideal(tier, ok, latency);
            Console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {Label(mode)} | {p} | {ok} | {outcomes.Sum(o => o.GivenUp)} | {server.Throttled} | {wall:0.00} | {ideal:0.00} | {ideal / wall:0.00} | {ok / wall / steadyRate:0.00} |"
                )
            );
        }
        return 0;
    }

    private static string TierKey(RateLimitTier tier) =>
        $"burst {tier.Burst!.Count} per {tier.Burst.Per.TotalSeconds:0.###} s, steady {tier.Steady!.Count} per {tier.Steady.Per.TotalSeconds:0.###} s";

    private static string Label(string mode) =>
        mode switch
        {
            "sdk" => "none, SDK-style retry (baseline)",
            "in-process" => "`CatalogRateLimiter` per process",
            "redis" => "`RedisRateLimiter` (shared)",
            _ => mode,
        };

    private static async Task<(List<Outcome>, double)> RunWorkersAsync(
        string[] args,
        string mode,
        int processes,
        int calls,
        int concurrency,
        int port,
        RedisProcess redis
    )
    {
        var prefix = $"bench:{Guid.NewGuid():N}:";
        var workers = Enumerable
            .Range(0, processes)
            .Select(i =>
            {
                var share = calls / processes + (i < calls % processes ? 1 : 0);
                var info = Self();
                foreach (
                    var a in new[]
                    {
                        "worker",
                        "--mode",
                        mode,
                        "--calls",
                        share.ToString(CultureInfo.InvariantCulture),
                        "--concurrency",
                        concurrency.ToString(CultureInfo.InvariantCulture),
                        "--port",
                        port.ToString(CultureInfo.InvariantCulture),
                        "--redis",
                        redis.Configuration,
                        "--prefix",
                        prefix,
                        "--burst",
                        Arguments.Get(args, "--burst", "10/1s"),
                        "--steady",
                        Arguments.Get(args, "--steady", "50/20s"),
                        "--margin",
                        Arguments.Get(
                            args,
                            "--margin",
                            RedisRateLimiterOptions.Default.Margin.ToString(
                                CultureInfo.InvariantCulture
                            )
                        ),
                    }
                )
                    info.ArgumentList.Add(a);
                return Process.Start(info)!;
            })
            .ToList();
        try
        {
            foreach (var w in workers)
                if (await w.StandardOutput.ReadLineAsync() != "ready")
                    throw new InvalidOperationException(
                        "a worker did not start: " + await w.StandardError.ReadToEndAsync()
                    );
            var clock = Stopwatch.StartNew();
            foreach (var w in workers)
                await w.StandardInput.WriteLineAsync("go");
            var outcomes = await Task.WhenAll(
                workers.Select(async w =>
                {
                    var line = await w.StandardOutput.ReadLineAsync() ?? "";
                    var f = line.Split(' ');
                    if (f.Length != 5 || f[0] != "result")
                        throw new InvalidOperationException(
                            "a worker failed: " + line + await w.StandardError.ReadToEndAsync()
                        );
                    return new Outcome(
                        int.Parse(f[1], CultureInfo.InvariantCulture),
                        int.Parse(f[2], CultureInfo.InvariantCulture),
                        int.Parse(f[3], CultureInfo.InvariantCulture),
                        double.Parse(f[4], CultureInfo.InvariantCulture)
                    );
                })
            );
            clock.Stop();
            foreach (var w in workers)
                await w.WaitForExitAsync();
            return (outcomes.ToList(), clock.Elapsed.TotalSeconds);
        }
        finally
        {
            foreach (var w in workers)
            {
                if (!w.HasExited)
                    w.Kill();
                w.Dispose();
            }
        }
    }

    private static ProcessStartInfo Self()
    {
        var path = Environment.ProcessPath!;
        var info =
            Path.GetFileNameWithoutExtension(path) == "dotnet"
                ? new ProcessStartInfo(path)
                {
                    ArgumentList = { typeof(Coordinator).Assembly.Location },
                }
                : new ProcessStartInfo(path);
        info.UseShellExecute = false;
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        return info;
    }

    /// <summary>
    /// The least time <paramref name="n"/> calls can take against sliding windows that start empty: the k-th call
    /// starts as soon as every window allows it (greedy, which is optimal), and the last answer comes one latency later.
    /// </summary>
    public static double Ideal(RateLimitTier tier, int n, TimeSpan latency)
    {
        if (n == 0)
            return 0;
        var rates = new[] { tier.Burst, tier.Steady, tier.Daily }
            .Where(r => r is not null)
            .Select(r => r!)
            .ToArray();
        var starts = new double[n];
        for (var k = 0; k < n; k++)
            starts[k] = rates
                .Where(r => k >= r.Count)
                .Select(r => starts[k - r.Count] + r.Per.TotalSeconds)
                .DefaultIfEmpty(0)
                .Max();
        return starts[n - 1] + latency.TotalSeconds;
    }
}
