using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Klaviyo.Tests;

/// <summary>
/// A stand-in for Klaviyo's rate limiting: a Kestrel server on 127.0.0.1 that counts requests per account (the
/// <c>authorization</c> header) and per tier (the tier of the request's path, from the <c>tierOf</c> function) in
/// every window of the tier — burst, steady, daily — and answers <c>429</c> with <c>Retry-After</c> (seconds,
/// fractional since tests scale time down) when one is full; a throttled request does not count. Windows are
/// sliding logs by default (stricter than Klaviyo's documented fixed windows: whatever passes a sliding log passes
/// fixed windows) or fixed windows. An optional latency is added after admission, before the answer, which is where
/// a limiter that stops counting at the response would leak. Every arrival is recorded with its server time.
/// </summary>
public sealed class TieredRateLimitedServer : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Func<string, RateLimitTier?> _tierOf;
    private readonly bool _fixedWindows;
    private readonly TimeSpan _latency;
    private readonly Dictionary<string, Queue<long>[]> _logs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Window, int Count)[]> _fixed = new(
        StringComparer.Ordinal
    );
    private readonly ConcurrentQueue<Arrival> _arrivals = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private int _ok;
    private int _throttled;
    private int _forced;
    private string _forcedRetryAfter = "1";

    private TieredRateLimitedServer(
        Func<string, RateLimitTier?> tierOf,
        bool fixedWindows,
        TimeSpan latency
    )
    {
        _tierOf = tierOf;
        _fixedWindows = fixedWindows;
        _latency = latency;
    }

    /// <summary>One request as the server saw it: when (since start), which path, what it answered.</summary>
    public sealed record Arrival(TimeSpan At, string Path, int Status);

    public LoopbackServer Server { get; private set; } = null!;

    public int Accepted => Volatile.Read(ref _ok);

    public int Throttled => Volatile.Read(ref _throttled);

    public IReadOnlyList<Arrival> Arrivals => _arrivals.ToArray();

    /// <summary>Starts a server where every path has <paramref name="tier"/>.</summary>
    public static Task<TieredRateLimitedServer> StartAsync(
        RateLimitTier tier,
        TimeSpan latency = default,
        bool fixedWindows = false
    ) => StartAsync(_ => tier, latency, fixedWindows);

    /// <summary>Starts a server where a path's tier is <paramref name="tierOf"/>(path); <c>null</c>: not limited.</summary>
    public static async Task<TieredRateLimitedServer> StartAsync(
        Func<string, RateLimitTier?> tierOf,
        TimeSpan latency = default,
        bool fixedWindows = false
    )
    {
        var server = new TieredRateLimitedServer(tierOf, fixedWindows, latency);
        server.Server = await LoopbackServer.StartAsync(server.HandleAsync);
        return server;
    }

    /// <summary>The next <paramref name="count"/> requests get 429 with this <c>Retry-After</c>, whatever the windows say.</summary>
    public void ThrottleNext(int count, string retryAfter)
    {
        lock (_gate)
        {
            _forcedRetryAfter = retryAfter;
            _forced = count;
        }
    }

    private async Task HandleAsync(HttpContext ctx, ReceivedRequest request)
    {
        var path = request.Path;
        var tier = _tierOf(path);
        TimeSpan? wait = null;
        string? retryAfter = null;
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            if (_forced > 0)
            {
                _forced--;
                retryAfter = _forcedRetryAfter;
            }
            else if (tier is not null)
            {
                var key = (request.Header("authorization") ?? "") + " " + tier;
                var rates = new[] { tier.Burst, tier.Steady, tier.Daily }
                    .Where(r => r is not null && r.Count > 0)
                    .Select(r => r!)
                    .ToArray();
                wait = _fixedWindows ? AdmitFixed(key, rates, now) : AdmitSliding(key, rates, now);
                if (wait is { } w)
                    retryAfter = (Math.Ceiling(w.TotalSeconds * 100) / 100).ToString(
                        "0.00",
                        CultureInfo.InvariantCulture
                    );
            }
            _arrivals.Enqueue(
                new Arrival(
                    Stopwatch.GetElapsedTime(_started, now),
                    path,
                    retryAfter is null ? 200 : 429
                )
            );
        }
        if (retryAfter is not null)
        {
            Interlocked.Increment(ref _throttled);
            ctx.Response.StatusCode = 429;
            ctx.Response.Headers["Retry-After"] = retryAfter;
            ctx.Response.ContentType = "application/vnd.api+json";
            await ctx.Response.WriteAsync(
                """{"errors":[{"status":"429","code":"throttled","title":"Request was throttled."}]}"""
            );
            return;
        }
        Interlocked.Increment(ref _ok);
        if (_latency > TimeSpan.Zero)
            await Task.Delay(_latency);
        ctx.Response.ContentType = "application/vnd.api+json";
        await ctx.Response.WriteAsync("""{"data":[]}""");
    }

    // Sliding log per window: full means wait until the oldest entry leaves it.
    private TimeSpan? AdmitSliding(string key, Rate[] rates, long now)
    {
        if (!_logs.TryGetValue(key, out var logs))
            _logs[key] = logs = rates.Select(_ => new Queue<long>()).ToArray();
        TimeSpan? wait = null;
        for (var i = 0; i < rates.Length; i++)
        {
            var window = (long)(rates[i].Per.TotalSeconds * Stopwatch.Frequency);
            var log = logs[i];
            while (log.Count > 0 && now - log.Peek() >= window)
                log.Dequeue();
            if (log.Count >= rates[i].Count)
            {
                var w = TimeSpan.FromSeconds(
                    (double)(log.Peek() + window - now) / Stopwatch.Frequency
                );
                wait = wait is { } v && v > w ? v : w;
            }
        }
        if (wait is null)
            foreach (var log in logs)
                log.Enqueue(now);
        return wait;
    }

    // Fixed windows counted from the server's start: full means wait until the window ends.
    private TimeSpan? AdmitFixed(string key, Rate[] rates, long now)
    {
        if (!_fixed.TryGetValue(key, out var counts))
            _fixed[key] = counts = new (long, int)[rates.Length];
        var elapsed = now - _started;
        TimeSpan? wait = null;
        for (var i = 0; i < rates.Length; i++)
        {
            var window = (long)(rates[i].Per.TotalSeconds * Stopwatch.Frequency);
            var index = elapsed / window;
            if (counts[i].Window != index)
                counts[i] = (index, 0);
            if (counts[i].Count >= rates[i].Count)
            {
                var w = TimeSpan.FromSeconds(
                    (double)((index + 1) * window - elapsed) / Stopwatch.Frequency
                );
                wait = wait is { } v && v > w ? v : w;
            }
        }
        if (wait is null)
            for (var i = 0; i < counts.Length; i++)
                counts[i].Count++;
        return wait;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
