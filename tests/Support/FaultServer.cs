using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Klaviyo.Tests;

/// <summary>What the fault server does with one request.</summary>
public enum Fault
{
    Ok,
    Status500,
    Status502,
    Status503,
    Status504,
    TooManyRequests,
    ResetConnection,
    StallPastTimeout,
    TruncatedBody,
    MalformedJson,
    HtmlErrorPage,
}

/// <summary>
/// A Kestrel server that answers each request by a seeded schedule: the fault for attempt N of call C is a pure
/// function of (seed, C, N), so a test can work out the expected outcome of every call. Calls are told apart by
/// the <c>x-call</c> header; the server counts every request it receives.
/// </summary>
public sealed class FaultServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _attempts = new();
    private int _count;

    private FaultServer(int seed, TimeSpan stall)
    {
        Seed = seed;
        Stall = stall;
    }

    public int Seed { get; }

    public TimeSpan Stall { get; }

    public LoopbackServer Server { get; private set; } = null!;

    /// <summary>Requests received, of any kind.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Requests received for call <paramref name="call"/> (by its <c>x-call</c> header).</summary>
    public int AttemptsOf(int call) =>
        _attempts.TryGetValue(
            call.ToString(System.Globalization.CultureInfo.InvariantCulture),
            out var n
        )
            ? n
            : 0;

    /// <summary>The calls the server saw, with how many requests each made.</summary>
    public IReadOnlyDictionary<string, int> AttemptsByCall =>
        new Dictionary<string, int>(_attempts);

    public static async Task<FaultServer> StartAsync(int seed, TimeSpan stall)
    {
        var faults = new FaultServer(seed, stall);
        faults.Server = await LoopbackServer.StartAsync(faults.HandleAsync);
        return faults;
    }

    /// <summary>The fault for attempt <paramref name="attempt"/> (1-based) of call <paramref name="call"/>.</summary>
    public static Fault FaultFor(int seed, int call, int attempt)
    {
        // Half the attempts succeed, the rest spread over the faults, so most calls need a retry or two. The mix is
        // SplitMix64's finaliser over the three numbers (not HashCode.Combine, which is seeded per process), so a
        // seed gives the same schedule in every run and a failure can be replayed.
        var h = Mix(Mix(Mix((ulong)(uint)seed) ^ (uint)call) ^ (uint)attempt);
        var roll = h % 20;
        return roll < 10 ? Fault.Ok : (Fault)(1 + (roll - 10));
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private async Task HandleAsync(HttpContext ctx, ReceivedRequest request)
    {
        Interlocked.Increment(ref _count);
        var call = request.Header("x-call") ?? "0";
        var attempt = _attempts.AddOrUpdate(call, 1, (_, n) => n + 1);
        var fault = FaultFor(Seed, int.Parse(call), attempt);
        switch (fault)
        {
            case Fault.Ok:
                await Write(
                    ctx,
                    200,
                    "application/vnd.api+json",
                    $"{{\"data\":{{\"type\":\"profile\",\"id\":\"{call}\"}}}}"
                );
                break;
            case Fault.Status500:
                await Write(
                    ctx,
                    500,
                    "application/vnd.api+json",
                    """{"errors":[{"status":"500","title":"oops"}]}"""
                );
                break;
            case Fault.Status502:
                await Write(ctx, 502, "text/plain", "bad gateway");
                break;
            case Fault.Status503:
                await Write(
                    ctx,
                    503,
                    "application/vnd.api+json",
                    """{"errors":[{"status":"503"}]}"""
                );
                break;
            case Fault.Status504:
                await Write(ctx, 504, "text/plain", "");
                break;
            case Fault.TooManyRequests:
                ctx.Response.Headers["Retry-After"] = "0";
                await Write(
                    ctx,
                    429,
                    "application/vnd.api+json",
                    """{"errors":[{"status":"429","code":"throttled"}]}"""
                );
                break;
            case Fault.ResetConnection:
                ctx.Abort();
                break;
            case Fault.StallPastTimeout:
                await Task.Delay(Stall, ctx.RequestAborted).ContinueWith(_ => { });
                break;
            case Fault.TruncatedBody:
                ctx.Response.StatusCode = 200;
                ctx.Response.ContentType = "application/vnd.api+json";
                ctx.Response.ContentLength = 500;
                await ctx.Response.WriteAsync("{\"data\":{\"type\":\"pro");
                await ctx.Response.Body.FlushAsync();
                ctx.Abort();
                break;
            case Fault.MalformedJson:
                await Write(
                    ctx,
                    200,
                    "application/vnd.api+json; charset=utf-8",
                    "{\"data\": {\"type\": \"profile\","
                );
                break;
            case Fault.HtmlErrorPage:
                await Write(
                    ctx,
                    500,
                    "text/html",
                    "<html><body><h1>500 Internal Server Error</h1></body></html>"
                );
                break;
        }
    }

    private static async Task Write(HttpContext ctx, int status, string contentType, string body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType;
        await ctx.Response.WriteAsync(body);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
