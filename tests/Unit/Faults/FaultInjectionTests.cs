using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using LanguageExt;
using Xunit;
using Xunit.Abstractions;

namespace Klaviyo.Tests.Faults;

/// <summary>
/// Two thousand calls through the live interpreter and the retry loop against a server that answers each attempt
/// by a seeded schedule of faults (5xx, 429, resets, stalls, truncated and malformed bodies, HTML error pages).
/// The expected end of every call is worked out from the schedule and the retry policy alone, then compared with
/// what the client returned, how many sends it made, and how many requests the server received.
/// </summary>
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

    /// <summary>Time a call may take beyond its sends' timeouts and its retry waits (scheduling on a busy machine).</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

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
    /// What a call must end with: the fault of its last send (or <see cref="Fault.Ok"/>) after so many sends, and how
    /// many of its sends timed out although the server was not scheduled to stall.
    /// </summary>
    private sealed record Expected(Fault Last, int Sends, int Spurious);

    /// <summary>
    /// Sends stop at the first success, at the first answer that is not retried (malformed JSON on a 200: a decode
    /// error of a 2xx), or after <see cref="MaxRetries"/> + 1 sends. Everything else the schedule produces is retried.
    /// </summary>
    /// <remarks>
    /// On a starved machine an answer may come later than the short timeout although the server did not stall; the
    /// client then rightly reports a timeout and retries. Such an attempt (<paramref name="timedOut"/> says which
    /// attempts the client saw time out) counts as a stall, and the test bounds how many there may be.
    /// </remarks>
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
            if (fault is Fault.Ok or Fault.MalformedJson || attempt == MaxRetries + 1)
                return new Expected(fault, attempt, spurious);
        }
    }

    /// <summary>The longest the retry loop may wait in total between <paramref name="sends"/> sends.</summary>
    private static TimeSpan WaitBound(RetryStrategy strategy, int sends)
    {
        var total = TimeSpan.Zero;
        for (var retry = 1; retry < sends; retry++)
            total +=
                strategy is RetryStrategy.ExponentialStrategy
                    ? RetryPolicy.ExponentialBound(Policy, retry)
                    : Policy.RetryIn;
        return total;
    }

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
                ClientOptions = new ClientOptions { Timeout = Timeout },
            }
        );
        await WarmUpAsync(live);

        var results = new Either<KlaviyoError, KlaviyoResponse>[Calls];
        var elapsed = new TimeSpan[Calls];
        var thrown = new ConcurrentQueue<(int Call, Exception Error)>();
        var total = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Calls),
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency },
            async (call, ct) =>
            {
                var op = new RequestOperation(HttpMethod.Get, "/api/profiles").WithHeader(
                    "x-call",
                    call.ToString(CultureInfo.InvariantCulture)
                );
                var clock = Stopwatch.StartNew();
                try
                {
                    results[call] = await op.SendAsync(options, ct);
                }
                catch (Exception e)
                {
                    thrown.Enqueue((call, e));
                }
                elapsed[call] = clock.Elapsed;
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
            var problem = Check(call, expected, results[call]);
            var clientSends = counting.SendsOf(call);
            var serverSends = faults.AttemptsOf(call);
            if (clientSends != expected.Sends || serverSends != expected.Sends)
                problem +=
                    $" sends: expected {expected.Sends}, client made {clientSends}, server saw {serverSends};";
            var limit = Timeout * expected.Sends + WaitBound(strategy, expected.Sends) + Slack;
            if (elapsed[call] > limit)
                problem +=
                    $" took {elapsed[call].TotalMilliseconds:0} ms, over {limit.TotalMilliseconds:0} ms;";
            if (problem.Length > 0)
                mismatches.Add(
                    $"call {call} (expected {expected.Last} after {expected.Sends}):{problem}"
                );
        }
        output.WriteLine(
            $"seed {seed}, {strategyName}: {Calls} calls, {expectedSends} sends ({spurious} late answers timed out) in {total.Elapsed.TotalSeconds:0.0} s; "
                + string.Join(", ", tally.OrderBy(t => t.Key).Select(t => $"{t.Key}: {t.Value}"))
        );
        Assert.True(
            mismatches.Count == 0,
            $"{mismatches.Count} call(s) differ from the schedule:\n"
                + string.Join("\n", mismatches.Take(25))
        );
        // Late answers are the machine's doing, and rare; a fault the client misread as a timeout would be common.
        Assert.InRange(spurious, 0, expectedSends / 100);
        Assert.Equal(expectedSends, counting.Total);
        Assert.Equal(counting.Total, faults.Count);
        // The schedule must actually exercise the policy: every kind of fault ends some call, and some calls
        // succeed only on a retry, some give up after the last retry, some stop at a decode error.
        foreach (var fault in Enum.GetValues<Fault>())
            Assert.Contains(tally.Keys, k => k.StartsWith(fault + "@", StringComparison.Ordinal));
        Assert.Contains(
            tally.Keys,
            k => k.StartsWith("Ok@", StringComparison.Ordinal) && k != "Ok@1"
        );
        Assert.Contains(
            tally.Keys,
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
        if (result.IsRight)
        {
            var response = (KlaviyoResponse)result;
            if (expected.Last != Fault.Ok)
                return $" succeeded with {response.StatusCode};";
            var id = response
                .Json.Map(j => j.GetProperty("data").GetProperty("id").GetString())
                .IfNoneUnsafe((string?)null);
            return response.StatusCode == 200 && id == call.ToString(CultureInfo.InvariantCulture)
                ? ""
                : $" wrong success {response.StatusCode} id {id};";
        }
        var error = (KlaviyoError)result.Case!;
        var attempts =
            error.Attempts == expected.Sends
                ? ""
                : $" error.Attempts {error.Attempts} (expected {expected.Sends});";
        var ok = expected.Last switch
        {
            Fault.Ok => false,
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
            Fault.ResetConnection or Fault.TruncatedBody => error is KlaviyoError.Transport,
            Fault.StallPastTimeout => error is KlaviyoError.Timeout { After: var after }
                && after == Timeout,
            Fault.MalformedJson => error
                is KlaviyoError.Decode
                {
                    StatusCode: 200,
                    RawText: "{\"data\": {\"type\": \"profile\",",
                },
            Fault.HtmlErrorPage => error
                is KlaviyoError.Api
                {
                    StatusCode: 500,
                    Response.Body: ResponseBody.Text { Value: var html },
                }
                && html.Contains("<h1>500 Internal Server Error</h1>", StringComparison.Ordinal),
            _ => false,
        };
        return (ok ? "" : $" got {error};") + attempts;
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
    /// Counts the sends of each call (by its <c>x-call</c> header) on the way to the live interpreter, and notes which
    /// attempts came back as timeouts.
    /// </summary>
    private sealed class CountingInterpreter(IInterpreter inner) : IInterpreter
    {
        private readonly ConcurrentDictionary<string, int> _sends = new();
        private readonly ConcurrentDictionary<(string Call, int Attempt), bool> _timedOut = new();
        private int _total;

        public int Total => Volatile.Read(ref _total);

        public int SendsOf(int call) =>
            _sends.GetValueOrDefault(call.ToString(CultureInfo.InvariantCulture));

        public Func<int, bool> TimedOut(int call)
        {
            var id = call.ToString(CultureInfo.InvariantCulture);
            return attempt => _timedOut.ContainsKey((id, attempt));
        }

        public async Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
            KlaviyoRequest request,
            CancellationToken cancellationToken
        )
        {
            Interlocked.Increment(ref _total);
            var call = request.Header("x-call").IfNone("?");
            _sends.AddOrUpdate(call, 1, (_, n) => n + 1);
            var result = await inner.ExecuteAsync(request, cancellationToken);
            if (result.IsLeft && result.Case is KlaviyoError.Timeout)
                _timedOut[(call, request.Attempt)] = true;
            return result;
        }
    }
}

/// <summary>
/// The fault suite runs alone, after the parallel tests: its timeouts are short, and other tests hogging the two
/// cores would make answers late.
/// </summary>
[CollectionDefinition(nameof(FaultInjectionCollection), DisableParallelization = true)]
public sealed class FaultInjectionCollection;
