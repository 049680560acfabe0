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

    /// <summary>A 429 asking to wait 1000000000000.5 seconds (issue 11 #1).</summary>
    HugeFractionalRetryAfter,

    /// <summary>A 500 whose JSON error title holds an escaped lone surrogate, <c>\ud800</c> (issue 11 #2).</summary>
    LoneSurrogateErrorBody,

    /// <summary>A 200 whose resource holds lone surrogates in a value and a key (issue 11 #3).</summary>
    LoneSurrogateSuccess,

    /// <summary>A 200 announcing a body past the client's limit (<see cref="FaultServer.OversizedLength"/>) and sending 10 bytes (issue 11 #10).</summary>
    OversizedContentLength,

    /// <summary>A 200 whose chunked body never ends (issue 11 #10).</summary>
    EndlessBody,
}

/// <summary>
/// A Kestrel server that answers each request by a seeded schedule: the fault for attempt N of call C is a pure
/// function of (seed, C, N), so a test can work out the expected outcome of every call. The call and the attempt are
/// read from the query (<c>call=C&amp;attempt=N</c>, the attempt as the client numbered it), so the answer to an
/// attempt does not depend on when it arrives, or whether an earlier one arrived at all: on a loaded machine a
/// request the client gave up on may reach the server late, or never. The server records every arrival.
/// </summary>
public sealed class FaultServer : IAsyncDisposable
{
    /// <summary>The huge fractional delay of <see cref="Fault.HugeFractionalRetryAfter"/>.</summary>
    public const string HugeRetryAfter = "1000000000000.5";

    /// <summary>The <c>Content-Length</c> of <see cref="Fault.OversizedContentLength"/>: 1.5 GB.</summary>
    public const long OversizedLength = 1_500_000_000;

    /// <summary>The path of a listing whose <c>links.next</c> lead back to its first page, the query reordered.</summary>
    public const string CyclePath = "/api/cycle";

    private readonly ConcurrentDictionary<(int Call, int Attempt), int> _arrivals = new();
    private readonly ConcurrentDictionary<int, int> _arrivalsByCall = new();
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

    /// <summary>Requests received for call <paramref name="call"/>.</summary>
    public int AttemptsOf(int call) => _arrivalsByCall.GetValueOrDefault(call);

    /// <summary>How many times attempt <paramref name="attempt"/> of call <paramref name="call"/> arrived.</summary>
    public int ArrivalsOf(int call, int attempt) => _arrivals.GetValueOrDefault((call, attempt));

    /// <summary>The attempts of call <paramref name="call"/> that arrived, in attempt order.</summary>
    public IReadOnlyList<int> AttemptsSeen(int call) =>
        _arrivals.Keys.Where(k => k.Call == call).Select(k => k.Attempt).Order().ToList();

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
        var faults = (ulong)(Enum.GetValues<Fault>().Length - 1);
        var roll = h % (2 * faults);
        return roll < faults ? Fault.Ok : (Fault)(1 + (roll - faults));
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
        if (ctx.Request.Path == CyclePath)
        {
            await CycleAsync(ctx);
            return;
        }
        var call = int.TryParse(ctx.Request.Query["call"], out var c) ? c : 0;
        var arrived = _arrivalsByCall.AddOrUpdate(call, 1, (_, n) => n + 1);
        // Without an attempt number, the arrival order stands in for it.
        var attempt = int.TryParse(ctx.Request.Query["attempt"], out var a) ? a : arrived;
        _arrivals.AddOrUpdate((call, attempt), 1, (_, n) => n + 1);
        var fault = FaultFor(Seed, call, attempt);
        switch (fault)
        {
            case Fault.OversizedContentLength:
                ctx.Response.StatusCode = 200;
                ctx.Response.ContentType = "application/vnd.api+json";
                ctx.Response.ContentLength = OversizedLength;
                await ctx.Response.WriteAsync("{\"data\":[");
                await ctx.Response.Body.FlushAsync();
                // Hold the connection until the client gives up on it (it must, on the announced length alone).
                await Task.Delay(Timeout.Infinite, ctx.RequestAborted).ContinueWith(_ => { });
                break;
            case Fault.EndlessBody:
                ctx.Response.StatusCode = 200;
                ctx.Response.ContentType = "application/vnd.api+json";
                var chunk = new byte[16 * 1024];
                Array.Fill(chunk, (byte)' ');
                try
                {
                    while (!ctx.RequestAborted.IsCancellationRequested)
                        await ctx.Response.Body.WriteAsync(chunk, ctx.RequestAborted);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException)
                {
                    // The client stopped reading, as it must.
                }
                break;
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
            case Fault.HugeFractionalRetryAfter:
                ctx.Response.Headers["Retry-After"] = HugeRetryAfter;
                await Write(
                    ctx,
                    429,
                    "application/vnd.api+json",
                    """{"errors":[{"status":"429","code":"throttled"}]}"""
                );
                break;
            case Fault.LoneSurrogateErrorBody:
                await Write(
                    ctx,
                    500,
                    "application/vnd.api+json",
                    """{"errors":[{"status":"500","title":"bad \ud800 text","\udc00":1}]}"""
                );
                break;
            case Fault.LoneSurrogateSuccess:
                await Write(
                    ctx,
                    200,
                    "application/vnd.api+json",
                    "{\"data\":{\"type\":\"profile\",\"id\":\""
                        + call
                        + "\",\"attributes\":{\"first_name\":\"x\\ud800\"},\"\\udc00\":1}}"
                );
                break;
        }
    }

    // Page a → page b → page a again (written with its query in another order): a listing that never ends.
    private async Task CycleAsync(HttpContext ctx)
    {
        var page = ctx.Request.Query["page[cursor]"].ToString();
        var origin = $"http://127.0.0.1:{Server.Port}{CyclePath}";
        var next =
            page == "b"
                ? $"{origin}?page%5Bcursor%5D=a&page%5Bsize%5D=1"
                : $"{origin}?page%5Bsize%5D=1&page%5Bcursor%5D=b";
        await Write(
            ctx,
            200,
            "application/vnd.api+json",
            $"{{\"data\":[{{\"type\":\"profile\",\"id\":\"{(page == "" ? "a" : page)}\"}}],\"links\":{{\"next\":\"{next}\"}}}}"
        );
    }

    private static async Task Write(HttpContext ctx, int status, string contentType, string body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType;
        await ctx.Response.WriteAsync(body);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
