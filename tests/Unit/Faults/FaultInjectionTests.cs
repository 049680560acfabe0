using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using LanguageExt;
using Xunit;
using Xunit.Abstractions;

namespace Klaviyo.Tests.Faults;

/// <summary>
/// Two thousand calls through the live interpreter and the retry loop against a server that answers each attempt
/// by a seeded schedule of faults (5xx, 429, resets, stalls, truncated and malformed bodies, HTML error pages, a huge
/// fractional Retry-After, lone surrogates in error and success bodies). The expected end of every call is worked out
/// from the schedule and the retry policy alone, then compared with what the client returned, which attempts it
/// made, which of them reached the server, and which waits it asked the clock for.
/// </summary>
/// <remarks>
/// Every assertion holds under any timing, so the suite passes on a starved machine. The only wall-clock element is
/// the per-attempt timeout the live interpreter applies (it cannot take a fake clock); its effects are observed, not
/// predicted: an attempt the client saw time out counts as a stall (the server may receive it late or never), and is
/// checked to have lasted at least the timeout, which a loaded machine can only lengthen. The server picks each answer
/// by the attempt number the client sent, so a late or lost request cannot shift the schedule. Retry waits are
/// checked by what the retry loop asked the clock for, not by how long calls took.
/// </remarks>
[Collection(nameof(FaultInjectionCollection))]
public class FaultInjectionTests(ITestOutputHelper output)
{
    private const int Calls = 2_000;
    private const int Concurrency = 64;
    private const int MaxRetries = 3;

    /// <summary>The per-attempt timeout: short, so stalls cost little, yet far above a loopback round trip.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(300);

    /// <summary>How long a stalled answer would take if the client waited: well past the timeout.</summary>
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(10);

    /// <summary>How much earlier than its timeout a timed-out attempt may end: timer and stopwatch granularity.</summary>
    private static readonly TimeSpan Granularity = TimeSpan.FromMilliseconds(25);

    // Small, so the endless body ends quickly; far above every ordinary answer of the schedule.
    private const long MaxResponseBytes = 256 * 1024;

    private static readonly RetryOptions Policy = new()
    {
        MaxRetries = MaxRetries,
        RetryIn = TimeSpan.FromMilliseconds(5),
        BaseDelay = TimeSpan.FromMilliseconds(5),
        Factor = 2,
        MaxDelay = TimeSpan.FromMilliseconds(40),
        MaxRetryAfter = TimeSpan.FromSeconds(1),
    };

    /// <summary>
    /// What a call must end with: the fault of its last send after so many sends, and how many of its sends timed out
    /// although the server was not scheduled to stall.
    /// </summary>
    private sealed record Expected(Fault Last, int Sends, int Spurious);

    /// <summary>
    /// The answers that end a call whatever the retries left: a success, a decode error of a 2xx (malformed JSON), and
    /// a 429 asking for a wait longer than <see cref="RetryOptions.MaxRetryAfter"/> (the policy gives up with it).
    /// </summary>
    private static bool EndsTheCall(Fault fault) =>
        fault
            is Fault.Ok
                or Fault.LoneSurrogateSuccess
                or Fault.MalformedJson
                or Fault.HugeFractionalRetryAfter
                or Fault.OversizedContentLength
                or Fault.EndlessBody;

    /// <summary>
    /// Sends stop at the first answer that ends the call, or after <see cref="MaxRetries"/> + 1 sends; everything else
    /// the schedule produces is retried. An attempt the client saw time out (<paramref name="timedOut"/>) counts as a
    /// stall whatever the schedule said: on a starved machine an answer may come later than the short timeout.
    /// </summary>
    private static Expected ExpectedFor(int seed, int call, Func<int, bool> timedOut)
    {
        var spurious = 0;
        for (var attempt = 1; ; attempt++)
        {
            var fault = FaultServer.FaultFor(seed, call, attempt);
            if (fault != Fault.StallPastTimeout && timedOut(attempt))
            {
                fault = Fault.StallPastTimeout;
                spurious++;
            }
            if (EndsTheCall(fault) || attempt == MaxRetries + 1)
                return new Expected(fault, attempt, spurious);
        }
    }

    /// <summary>The longest wait the strategy may ask for before retry number <paramref name="retry"/> (from 1).</summary>
    private static TimeSpan WaitBound(RetryStrategy strategy, int retry) =>
        strategy is RetryStrategy.ExponentialStrategy
            ? RetryPolicy.ExponentialBound(Policy, retry)
            : Policy.RetryIn;

    [Theory]
    [InlineData(20_240_611, "linear")]
    [InlineData(7_919, "exponential")]
    public async Task Every_call_through_the_fault_schedule_ends_as_the_schedule_and_the_retry_policy_say(
        int seed,
        string strategyName
    )
    {
        var strategy = strategyName == "linear" ? Retry.Linear : Retry.Exponential;
        await using var faults = await FaultServer.StartAsync(seed, Stall);
        using var live = new LiveInterpreter();
        var counting = new CountingInterpreter(live);
        var options = faults.Server.Options(
            new KlaviyoOptions
            {
                ApiKey = "pk_faults_0123456789abcdef",
                Client = counting,
                Retry = strategy,
                RetryOptions = Policy,
                ClientOptions = new ClientOptions
                {
                    Timeout = Timeout,
                    MaxResponseBytes = MaxResponseBytes,
                },
            }
        );
        await WarmUpAsync(live);

        var results = new Either<KlaviyoError, KlaviyoResponse>[Calls];
        var clocks = new WaitRecordingClock[Calls];
        var thrown = new ConcurrentQueue<(int Call, Exception Error)>();
        var total = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Calls),
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency },
            async (call, ct) =>
            {
                var op = new RequestOperation(HttpMethod.Get, "/api/profiles").WithQuery(
                    "call",
                    call.ToString(CultureInfo.InvariantCulture)
                );
                clocks[call] = new WaitRecordingClock();
                var own = options with
                {
                    ClientOptions = options.ClientOptions with { TimeProvider = clocks[call] },
                };
                try
                {
                    results[call] = await op.SendAsync(own, ct);
                }
                catch (Exception e)
                {
                    thrown.Enqueue((call, e));
                }
            }
        );
        total.Stop();

        Assert.Empty(thrown);
        var mismatches = new List<string>();
        var tally = new Dictionary<string, int>();
        var expectedSends = 0;
        var spurious = 0;
        for (var call = 0; call < Calls; call++)
        {
            var expected = ExpectedFor(seed, call, counting.TimedOut(call));
            expectedSends += expected.Sends;
            spurious += expected.Spurious;
            var key = $"{expected.Last}@{expected.Sends}";
            tally[key] = tally.GetValueOrDefault(key) + 1;
            var problem =
                Check(call, expected, results[call])
                + CheckSends(call, expected, counting, faults)
                + CheckWaits(strategy, expected, clocks[call].Waits)
                + CheckTimeouts(counting.TimeoutsOf(call));
            if (problem.Length > 0)
                mismatches.Add(
                    $"call {call} (expected {expected.Last} after {expected.Sends}):{problem}"
                );
        }
        output.WriteLine(
            $"seed {seed}, {strategyName}: {Calls} calls, {expectedSends} sends ({spurious} late answers timed out, {faults.Count} requests reached the server) in {total.Elapsed.TotalSeconds:0.0} s; "
                + string.Join(", ", tally.OrderBy(t => t.Key).Select(t => $"{t.Key}: {t.Value}"))
        );
        Assert.True(
            mismatches.Count == 0,
            $"{mismatches.Count} call(s) differ from the schedule:\n"
                + string.Join("\n", mismatches.Take(25))
        );
        Assert.Equal(expectedSends, counting.Total);
        Assert.InRange(faults.Count, expectedSends - counting.TimeoutCount, expectedSends);

        // The schedule itself (no timeouts assumed) must exercise the policy: every kind of fault ends some call,
        // and some calls succeed only on a retry, some give up after the last retry, some stop at a decode error.
        var planned = Enumerable
            .Range(0, Calls)
            .Select(call => ExpectedFor(seed, call, _ => false))
            .Select(e => $"{e.Last}@{e.Sends}")
            .ToHashSet();
        // Every kind of fault is served to some attempt the client makes (a retryable one need not end a call).
        var served = Enumerable
            .Range(0, Calls)
            .SelectMany(call =>
                Enumerable
                    .Range(1, ExpectedFor(seed, call, _ => false).Sends)
                    .Select(attempt => FaultServer.FaultFor(seed, call, attempt))
            )
            .ToHashSet();
        foreach (var fault in Enum.GetValues<Fault>())
            Assert.Contains(fault, served);
        Assert.Contains(planned, k => k.StartsWith("Ok@", StringComparison.Ordinal) && k != "Ok@1");
        Assert.Contains(
            planned,
            k =>
                k.EndsWith($"@{MaxRetries + 1}", StringComparison.Ordinal)
                && !k.StartsWith("Ok", StringComparison.Ordinal)
        );
    }

    /// <summary>An empty string when <paramref name="result"/> is what <paramref name="expected"/> says; else what differs.</summary>
    private static string Check(
        int call,
        Expected expected,
        Either<KlaviyoError, KlaviyoResponse> result
    )
    {
        var callId = call.ToString(CultureInfo.InvariantCulture);
        if (result.IsRight)
        {
            var response = (KlaviyoResponse)result;
            if (expected.Last is not (Fault.Ok or Fault.LoneSurrogateSuccess))
                return $" succeeded with {response.StatusCode};";
            var resource = response
                .Document()
                .MatchUnsafe(
                    d => d.Resources.IsEmpty ? null : d.Resources.Head,
                    _ => (JsonApiResource?)null
                );
            var name = resource?.AttributesAs<Named>().MatchUnsafe(n => n.FirstName, _ => "?");
            var ok =
                response.StatusCode == 200
                && resource?.Id == callId
                && (expected.Last == Fault.Ok || name == "x\uFFFD");
            return ok ? "" : $" wrong success {response.StatusCode} id {resource?.Id} name {name};";
        }
        var error = (KlaviyoError)result.Case!;
        var attempts =
            error.Attempts == expected.Sends
                ? ""
                : $" error.Attempts {error.Attempts} (expected {expected.Sends});";
        var ok2 = expected.Last switch
        {
            Fault.Ok or Fault.LoneSurrogateSuccess => false,
            Fault.Status500 => error
                is KlaviyoError.Api { StatusCode: 500, Response.Body: ResponseBody.Json } api
                && api.Errors.Head.Title == "oops",
            Fault.Status502 => error
                is KlaviyoError.Api
                {
                    StatusCode: 502,
                    Response.Body: ResponseBody.Text { Value: "bad gateway" },
                },
            Fault.Status503 => error
                is KlaviyoError.Api { StatusCode: 503, Response.Body: ResponseBody.Json },
            Fault.Status504 => error
                is KlaviyoError.Api { StatusCode: 504, Response.Body: ResponseBody.Empty },
            Fault.TooManyRequests => error is KlaviyoError.Api { StatusCode: 429 } tooMany
                && tooMany.Response.Headers.Get("retry-after").IfNoneUnsafe((string?)null) == "0"
                && tooMany.Errors.Head.Code == "throttled",
            Fault.HugeFractionalRetryAfter => error is KlaviyoError.Api { StatusCode: 429 } huge
                && huge.Response.Headers.Get("retry-after").IfNoneUnsafe((string?)null)
                    == FaultServer.HugeRetryAfter
                && huge.Errors.Head.Code == "throttled",
            Fault.LoneSurrogateErrorBody => error is KlaviyoError.Api { StatusCode: 500 } lone
                && lone.Errors.Head.Title == "bad \uFFFD text"
                && lone.Message.Contains("bad \uFFFD text", StringComparison.Ordinal),
            Fault.ResetConnection or Fault.TruncatedBody => error is KlaviyoError.Transport,
            Fault.StallPastTimeout => error is KlaviyoError.Timeout { After: var after }
                && after == Timeout,
            Fault.MalformedJson => error
                is KlaviyoError.Decode
                {
                    StatusCode: 200,
                    RawText: "{\"data\": {\"type\": \"profile\",",
                },
            Fault.OversizedContentLength => error
                is KlaviyoError.Decode { StatusCode: 200, Reason: var tooBig }
                && tooBig.Contains(
                    $"Content-Length is {FaultServer.OversizedLength}",
                    StringComparison.Ordinal
                ),
            Fault.EndlessBody => error
                is KlaviyoError.Decode { StatusCode: 200, Reason: var endless }
                && endless.Contains("more arrived", StringComparison.Ordinal),
            Fault.HtmlErrorPage => error
                is KlaviyoError.Api
                {
                    StatusCode: 500,
                    Response.Body: ResponseBody.Text { Value: var html },
                }
                && html.Contains("<h1>500 Internal Server Error</h1>", StringComparison.Ordinal),
            _ => false,
        };
        return (ok2 ? "" : $" got {error};") + attempts;
    }

    private sealed record Named(string? FirstName);

    [Fact]
    public async Task A_listing_whose_next_links_cycle_ends_with_a_decode_error_after_its_pages()
    {
        await using var faults = await FaultServer.StartAsync(1, Stall);
        var options = faults.Server.Options(new KlaviyoOptions { ApiKey = "pk_faults_cycle" });
        var first = new RequestOperation(HttpMethod.Get, FaultServer.CyclePath);

        var ids = new List<string>();
        var thrown = await Assert.ThrowsAsync<KlaviyoException>(async () =>
        {
            await foreach (var profile in first.PaginateAsync(options))
                ids.Add(profile.Id!);
        });
        var streamed = faults.Count;
        var all = await first.AllPages().RunAsync(options);

        // a (no cursor) → b → a (cursor=a, a page not yet fetched) → b again: the loop is seen there.
        Assert.Equal(["a", "b", "a"], ids);
        Assert.IsType<KlaviyoError.Decode>(thrown.Error);
        Assert.IsType<KlaviyoError.Decode>(all.Match(_ => null!, e => e));
        // Each way of paging fetches the three pages and stops before fetching b again.
        Assert.Equal(3, streamed);
        Assert.Equal(6, faults.Count);
    }

    /// <summary>
    /// The client made attempts 1 to N, each once; the server received only attempts the client made, each at most
    /// once; and every attempt that did not time out on the client reached the server (it answered it).
    /// </summary>
    private static string CheckSends(
        int call,
        Expected expected,
        CountingInterpreter counting,
        FaultServer faults
    )
    {
        var made = counting.AttemptsOf(call);
        var problem = "";
        if (!made.SequenceEqual(Enumerable.Range(1, expected.Sends)))
            problem += $" client made attempts [{string.Join(",", made)}];";
        var seen = faults.AttemptsSeen(call);
        var timedOut = counting.TimedOut(call);
        if (seen.Except(made).Any())
            problem += $" server saw attempts [{string.Join(",", seen)}] the client did not make;";
        var twice = seen.Where(a => faults.ArrivalsOf(call, a) > 1).ToList();
        if (twice.Count > 0)
            problem += $" attempts [{string.Join(",", twice)}] reached the server twice;";
        var lost = made.Where(a => !timedOut(a) && !seen.Contains(a)).ToList();
        if (lost.Count > 0)
            problem += $" answered attempts [{string.Join(",", lost)}] never reached the server;";
        return problem;
    }

    /// <summary>
    /// The retry loop asked the clock for one wait per retry, each within the strategy's bound: linear waits exactly
    /// <see cref="RetryOptions.RetryIn"/>; exponential waits a jittered fraction of its bound (and none when the
    /// jitter is zero).
    /// </summary>
    private static string CheckWaits(
        RetryStrategy strategy,
        Expected expected,
        IReadOnlyList<TimeSpan> waits
    )
    {
        var retries = expected.Sends - 1;
        var fits =
            strategy is RetryStrategy.ExponentialStrategy
                ? waits.Count <= retries
                    && waits.All(w => w > TimeSpan.Zero && w <= WaitBound(strategy, retries))
                    && (
                        waits.Count < retries
                        || waits.Select((w, i) => w <= WaitBound(strategy, i + 1)).All(b => b)
                    )
                : waits.Count == retries && waits.All(w => w == Policy.RetryIn);
        return fits
            ? ""
            : $" waits [{string.Join(", ", waits.Select(w => w.TotalMilliseconds))}] ms for {retries} retries;";
    }

    /// <summary>A timeout can only come after the timeout: a fault the client misread as one would come sooner.</summary>
    private static string CheckTimeouts(IReadOnlyList<(int Attempt, TimeSpan Took)> timeouts)
    {
        var early = timeouts.Where(t => t.Took < Timeout - Granularity).ToList();
        return early.Count == 0
            ? ""
            : $" timed out early: {string.Join(", ", early.Select(t => $"attempt {t.Attempt} after {t.Took.TotalMilliseconds:0} ms"))};";
    }

    /// <summary>Compiles the send path before anything is timed, so the first calls do not hit the short timeout.</summary>
    private static async Task WarmUpAsync(LiveInterpreter live)
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(200, """{"data":[]}""")
        );
        var options = server.Options(
            new KlaviyoOptions { ApiKey = "pk_warm_up_0123456789", Client = live }
        );
        var ping = new RequestOperation(HttpMethod.Get, "/api/accounts");
        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => ping.SendAsync(options)));
    }

    /// <summary>
    /// On the way to the live interpreter: tells the server which attempt this is (<c>attempt=N</c> in the query, the
    /// request's own <see cref="KlaviyoRequest.Attempt"/>), and notes, per call (its <c>call=C</c>), every attempt
    /// made, and those that came back as timeouts with how long they took.
    /// </summary>
    private sealed class CountingInterpreter(IInterpreter inner) : IInterpreter
    {
        private readonly ConcurrentDictionary<int, ConcurrentQueue<int>> _attempts = new();
        private readonly ConcurrentDictionary<(int Call, int Attempt), TimeSpan> _timedOut = new();
        private int _total;

        public int Total => Volatile.Read(ref _total);

        public int TimeoutCount => _timedOut.Count;

        public IReadOnlyList<int> AttemptsOf(int call) =>
            _attempts.TryGetValue(call, out var made) ? made.Order().ToList() : [];

        public Func<int, bool> TimedOut(int call) =>
            attempt => _timedOut.ContainsKey((call, attempt));

        public IReadOnlyList<(int Attempt, TimeSpan Took)> TimeoutsOf(int call) =>
            _timedOut.Where(t => t.Key.Call == call).Select(t => (t.Key.Attempt, t.Value)).ToList();

        public async Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
            KlaviyoRequest request,
            CancellationToken cancellationToken
        )
        {
            Interlocked.Increment(ref _total);
            var call = CallOf(request.Url);
            _attempts.GetOrAdd(call, _ => new ConcurrentQueue<int>()).Enqueue(request.Attempt);
            var numbered = request with
            {
                Query = request.Query.Add(
                    ("attempt", request.Attempt.ToString(CultureInfo.InvariantCulture))
                ),
            };
            var clock = Stopwatch.StartNew();
            var result = await inner.ExecuteAsync(numbered, cancellationToken);
            if (result.IsLeft && result.Case is KlaviyoError.Timeout)
                _timedOut[(call, request.Attempt)] = clock.Elapsed;
            return result;
        }

        private static int CallOf(string url)
        {
            var query = url[(url.IndexOf('?') + 1)..];
            var pair = query.Split('&').First(p => p.StartsWith("call=", StringComparison.Ordinal));
            return int.Parse(pair["call=".Length..], CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The system clock, noting every timer the retry loop starts (its waits between sends).</summary>
    private sealed class WaitRecordingClock : TimeProvider
    {
        private readonly ConcurrentQueue<TimeSpan> _waits = new();

        public IReadOnlyList<TimeSpan> Waits => _waits.ToArray();

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow();

        public override long GetTimestamp() => System.GetTimestamp();

        public override long TimestampFrequency => System.TimestampFrequency;

        public override ITimer CreateTimer(
            TimerCallback callback,
            object? state,
            TimeSpan dueTime,
            TimeSpan period
        )
        {
            _waits.Enqueue(dueTime);
            return System.CreateTimer(callback, state, dueTime, period);
        }
    }
}

/// <summary>
/// The fault suite runs alone, after the parallel tests: its timeouts are short, and other tests hogging the two
/// cores would make answers late (which the suite tolerates, but it then tests less).
/// </summary>
[CollectionDefinition(nameof(FaultInjectionCollection), DisableParallelization = true)]
public sealed class FaultInjectionCollection;
