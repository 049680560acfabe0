using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Klaviyo.Tests;

/// <summary>
/// A Kestrel server enforcing a burst window and a steady window the way Klaviyo does per endpoint: a request
/// over either limit gets 429 with <c>Retry-After</c> (whole seconds) and does not count.
/// </summary>
public sealed class RateLimitedServer : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Queue<long> _burst = new();
    private readonly Queue<long> _steady = new();
    private readonly Rate _burstRate;
    private readonly Rate _steadyRate;
    private int _ok;
    private int _throttled;

    private RateLimitedServer(Rate burst, Rate steady)
    {
        _burstRate = burst;
        _steadyRate = steady;
    }

    public LoopbackServer Server { get; private set; } = null!;

    public int Accepted => Volatile.Read(ref _ok);

    public int Throttled => Volatile.Read(ref _throttled);

    public static async Task<RateLimitedServer> StartAsync(Rate burst, Rate steady)
    {
        var server = new RateLimitedServer(burst, steady);
        server.Server = await LoopbackServer.StartAsync(server.HandleAsync);
        return server;
    }

    private async Task HandleAsync(HttpContext ctx, ReceivedRequest _)
    {
        TimeSpan? wait;
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            wait = Admit(_burst, _burstRate, now) ?? Admit(_steady, _steadyRate, now);
            if (wait is null)
            {
                _burst.Enqueue(now);
                _steady.Enqueue(now);
            }
        }
        if (wait is { } w)
        {
            Interlocked.Increment(ref _throttled);
            ctx.Response.StatusCode = 429;
            // Time is scaled down in these tests, so Retry-After is too: fractional seconds, rounded up to 10 ms.
            ctx.Response.Headers["Retry-After"] = (
                Math.Ceiling(w.TotalSeconds * 100) / 100
            ).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
            ctx.Response.ContentType = "application/vnd.api+json";
            await ctx.Response.WriteAsync(
                """{"errors":[{"status":"429","code":"throttled","title":"Request was throttled."}]}"""
            );
            return;
        }
        Interlocked.Increment(ref _ok);
        ctx.Response.ContentType = "application/vnd.api+json";
        await ctx.Response.WriteAsync("""{"data":[]}""");
    }

    // Sliding log: drop entries older than the window; full means wait until the oldest leaves it.
    private static TimeSpan? Admit(Queue<long> log, Rate rate, long now)
    {
        var window = (long)(rate.Per.TotalSeconds * Stopwatch.Frequency);
        while (log.Count > 0 && now - log.Peek() >= window)
            log.Dequeue();
        if (log.Count < rate.Count)
            return null;
        return TimeSpan.FromSeconds((double)(log.Peek() + window - now) / Stopwatch.Frequency);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
