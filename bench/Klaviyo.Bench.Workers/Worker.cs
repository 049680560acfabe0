using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace Klaviyo.Bench.Workers;

/// <summary>
/// One worker process: sends its share of the calls with the given concurrency, then prints
/// <c>result ok given-up 429s seconds</c>. Every mode retries the way the official Node SDK does by default
/// (3 attempts, 0.5 s then 2.5 s, on 429/503/504, Retry-After ignored); only the pacing differs.
/// </summary>
internal static class Worker
{
    private static readonly TimeSpan[] SdkDelays =
    [
        TimeSpan.FromMilliseconds(500),
        TimeSpan.FromMilliseconds(2500),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var mode = Arguments.Get(args, "--mode", "redis");
        var calls = Arguments.Int(args, "--calls", 25);
        var concurrency = Arguments.Int(args, "--concurrency", 16);
        var port = Arguments.Int(args, "--port", 0);
        var tier = Arguments.Tier(args);
        IConnectionMultiplexer? redis = null;
        IRateLimiter? limiter = mode switch
        {
            "sdk" => null,
            "in-process" => new CatalogRateLimiter(_ => tier),
            "redis" => new RedisRateLimiter(
                redis = await ConnectionMultiplexer.ConnectAsync(
                    Arguments.Get(args, "--redis", "")
                ),
                new RedisRateLimiterOptions
                {
                    TierFor = _ => tier,
                    KeyPrefix = Arguments.Get(args, "--prefix", "bench:"),
                    Margin = Arguments.Double(
                        args,
                        "--margin",
                        RedisRateLimiterOptions.Default.Margin
                    ),
                }
            ),
            _ => throw new ArgumentException("unknown mode " + mode),
        };
        var options = new KlaviyoOptions
        {
            ApiKey = "pk_bench_shared_account",
            Protocol = "http",
            Host = "127.0.0.1",
            Port = port,
            Client = Interpreter.Live(),
            ClientOptions = new ClientOptions { RateLimiter = limiter },
        };
        var operation = new RequestOperation(HttpMethod.Get, "/api/profiles")
        {
            OperationId = "get_profiles",
        };

        // Warm up (JIT, connections, the Redis scripts) on another account and an unlimited path, so the measured
        // account's windows start empty.
        // (CatalogRateLimiter keys by operation, not account: it warms up without the limiter, or it would count.)
        var warmUp = options with
        {
            ApiKey = "pk_bench_warm_up",
            ClientOptions = mode == "redis" ? options.ClientOptions : ClientOptions.Default,
        };
        for (var i = 0; i < 3; i++)
            await new RequestOperation(HttpMethod.Get, "/warm-up")
            {
                OperationId = "get_profiles",
            }.SendAsync(warmUp);

        Console.WriteLine("ready");
        if (Console.ReadLine() != "go")
            return 2;
        var clock = Stopwatch.StartNew();
        int ok = 0,
            givenUp = 0,
            throttled = 0,
            next = -1;
        await Task.WhenAll(
            Enumerable
                .Range(0, concurrency)
                .Select(_ =>
                    Task.Run(async () =>
                    {
                        while (Interlocked.Increment(ref next) < calls)
                        {
                            for (var attempt = 1; ; attempt++)
                            {
                                var result = await operation.SendAsync(options);
                                if (result.IsRight)
                                {
                                    Interlocked.Increment(ref ok);
                                    break;
                                }
                                var error = result.Match(_ => null!, e => e);
                                var retryable =
                                    error is KlaviyoError.Api { StatusCode: 429 or 503 or 504 };
                                if (error is KlaviyoError.Api { StatusCode: 429 })
                                    Interlocked.Increment(ref throttled);
                                if (!retryable || attempt == 3)
                                {
                                    Interlocked.Increment(ref givenUp);
                                    break;
                                }
                                await Task.Delay(SdkDelays[attempt - 1]);
                            }
                        }
                    })
                )
        );
        clock.Stop();
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"result {ok} {givenUp} {throttled} {clock.Elapsed.TotalSeconds:0.000}"
            )
        );
        (limiter as IDisposable)?.Dispose();
        redis?.Dispose();
        return 0;
    }
}
