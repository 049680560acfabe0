using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LanguageExt;

namespace Klaviyo.Tests.Retrying;

/// <summary>
/// For any run of outcomes and any retry settings, the one send path retries exactly as the policy says, on a fake
/// clock that is advanced by each wait as soon as it starts.
/// </summary>
public class RetryProperties
{
    public enum Kind
    {
        Success,
        ClientError,
        TooManyRequests,
        ServerError,
        TransportFailure,
        Timeout,
    }

    /// <summary>One answer of the server (or of the network).</summary>
    public sealed record Outcome(Kind Kind, int Status, int? RetryAfterSeconds)
    {
        public bool IsRetryable =>
            Kind
                is Kind.TooManyRequests
                    or Kind.ServerError
                    or Kind.TransportFailure
                    or Kind.Timeout;

        /// <summary>The Retry-After the client must honour: only on a 429 or a 503.</summary>
        public TimeSpan? RetryAfter =>
            Status is 429 or 503 && RetryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null;

        public StubResponse ToStub() =>
            Kind switch
            {
                Kind.TransportFailure => StubResponse.TransportFailure(),
                Kind.Timeout => StubResponse.Timeout(),
                _ when RetryAfterSeconds is { } s => StubResponse.Status(
                    Status,
                    headers: (
                        "Retry-After",
                        s.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    )
                ),
                _ => StubResponse.Status(Status),
            };

        public override string ToString() =>
            Kind switch
            {
                Kind.TransportFailure => "transport",
                Kind.Timeout => "timeout",
                _ => RetryAfterSeconds is { } s ? $"{Status}(RA {s}s)" : $"{Status}",
            };
    }

    public sealed record Case(RetryStrategy Strategy, RetryOptions Options, Outcome[] Outcomes)
    {
        /// <summary>The server keeps giving its last answer once the list runs out.</summary>
        public Outcome At(int send) => Outcomes[Math.Min(send - 1, Outcomes.Length - 1)];

        /// <summary>The model: the 1-based send after which the client stops.</summary>
        public int ExpectedSends()
        {
            for (var send = 1; ; send++)
            {
                var o = At(send);
                if (
                    !o.IsRetryable
                    || o.RetryAfter > Options.MaxRetryAfter
                    || send == Options.MaxRetries + 1
                )
                    return send;
            }
        }

        public override string ToString() =>
            $"{Strategy.GetType().Name} {Options} [{string.Join(", ", Outcomes.Select(o => o.ToString()))}]";
    }

    private static readonly Gen<int?> RetryAfterGen = Gen.Frequency(
        (2, Gen.Constant<int?>(null)),
        (3, Gen.Choose(0, 12).Select(s => (int?)s))
    );

    private static readonly Gen<Outcome> OutcomeGen = Gen.Frequency(
        (2, Gen.Elements(200, 201, 202, 204).Select(s => new Outcome(Kind.Success, s, null))),
        (
            1,
            Gen.Elements(400, 401, 403, 404, 409, 422)
                .Select(s => new Outcome(Kind.ClientError, s, null))
        ),
        (3, RetryAfterGen.Select(ra => new Outcome(Kind.TooManyRequests, 429, ra))),
        (
            3,
            Gen.Elements(500, 502, 503, 504)
                .SelectMany(s => RetryAfterGen.Select(ra => new Outcome(Kind.ServerError, s, ra)))
        ),
        (2, Gen.Constant(new Outcome(Kind.TransportFailure, 0, null))),
        (1, Gen.Constant(new Outcome(Kind.Timeout, 0, null)))
    );

    private static Gen<TimeSpan> Millis(int max) =>
        Gen.Frequency(
            (1, Gen.Constant(TimeSpan.Zero)),
            (4, Gen.Choose(0, max).Select(ms => TimeSpan.FromMilliseconds(ms)))
        );

    private static readonly Gen<RetryOptions> OptionsGen =
        from maxRetries in Gen.Choose(0, 5)
        from retryIn in Millis(5_000)
        from baseDelay in Millis(1_000)
        from factor in Gen.Elements(1.0, 1.5, 2.0, 3.0)
        from maxDelay in Millis(5_000)
        from maxRetryAfter in Gen.Choose(0, 10)
        select new RetryOptions
        {
            MaxRetries = maxRetries,
            RetryIn = retryIn,
            BaseDelay = baseDelay,
            Factor = factor,
            MaxDelay = maxDelay,
            MaxRetryAfter = TimeSpan.FromSeconds(maxRetryAfter),
        };

    private static readonly Arbitrary<Case> Cases = (
        from strategy in Gen.Elements(Retry.Linear, Retry.Exponential)
        from options in OptionsGen
        from outcomes in Gen.NonEmptyListOf(OutcomeGen).Select(l => l.Take(8).ToArray())
        select new Case(strategy, options, outcomes)
    ).ToArbitrary();

    private sealed record Run(
        Either<KlaviyoError, KlaviyoResponse> Result,
        int Sends,
        TimeSpan[] Gaps
    );

    private static Run Execute(Case c) =>
        Task.Run(async () =>
            {
                var clock = new ObservableClock();
                var sentAt = new List<DateTimeOffset>();
                var stub = Interpreter
                    .Stub()
                    .WhenAny()
                    .RespondWith(_ =>
                    {
                        lock (sentAt)
                        {
                            sentAt.Add(clock.GetUtcNow());
                            return c.At(sentAt.Count).ToStub();
                        }
                    });
                var options = new KlaviyoOptions
                {
                    ApiKey = "pk_test_0123456789abcdef",
                    Client = stub,
                    Retry = c.Strategy,
                    RetryOptions = c.Options,
                    ClientOptions = new ClientOptions { TimeProvider = clock },
                };
                var result = await clock.DriveAsync(
                    new RequestOperation(HttpMethod.Get, "/api/accounts").SendAsync(options),
                    TimeSpan.FromSeconds(10)
                );
                return new Run(
                    result,
                    stub.Calls.Count,
                    sentAt.Zip(sentAt.Skip(1), (a, b) => b - a).ToArray()
                );
            })
            .GetAwaiter()
            .GetResult();

    [Property(MaxTest = 200)]
    public Property Sends_stop_at_the_first_non_retryable_outcome_or_after_MaxRetries() =>
        Prop.ForAll(
            Cases,
            c =>
            {
                var run = Execute(c);
                var expected = c.ExpectedSends();
                return (run.Sends == expected)
                    .Label($"sends: expected {expected}, got {run.Sends}")
                    .And(
                        run.Result.Match(_ => true, e => e.Attempts == expected)
                            .Label("Attempts counts every send")
                    );
            }
        );

    [Property(MaxTest = 200)]
    public Property The_result_is_the_last_outcome() =>
        Prop.ForAll(
            Cases,
            c =>
            {
                var run = Execute(c);
                var last = c.At(run.Sends);
                var matches = run.Result.Match(
                    r => last.Kind == Kind.Success && r.StatusCode == last.Status,
                    e =>
                        (last.Kind, e) switch
                        {
                            (Kind.TransportFailure, KlaviyoError.Transport) => true,
                            (Kind.Timeout, KlaviyoError.Timeout) => true,
                            (_, KlaviyoError.Api api) => api.StatusCode == last.Status,
                            _ => false,
                        }
                );
                return matches.Label($"last outcome {last}, result {run.Result}");
            }
        );

    [Property(MaxTest = 200)]
    public Property Every_wait_follows_the_strategy_and_honours_Retry_After() =>
        Prop.ForAll(
            Cases,
            c =>
            {
                var run = Execute(c);
                var problems = new List<string>();
                for (var k = 1; k <= run.Gaps.Length; k++)
                {
                    var gap = run.Gaps[k - 1];
                    var retryAfter = c.At(k).RetryAfter ?? TimeSpan.Zero;
                    if (c.Strategy is RetryStrategy.LinearStrategy)
                    {
                        var expected =
                            c.Options.RetryIn > retryAfter ? c.Options.RetryIn : retryAfter;
                        if (gap != expected)
                            problems.Add($"wait {k}: {gap} instead of exactly {expected}");
                    }
                    else
                    {
                        var grown =
                            c.Options.BaseDelay.TotalMilliseconds
                            * Math.Pow(c.Options.Factor, k - 1);
                        var bound = TimeSpan.FromMilliseconds(
                            Math.Min(grown, c.Options.MaxDelay.TotalMilliseconds)
                        );
                        var upper = bound > retryAfter ? bound : retryAfter;
                        if (gap < retryAfter || gap > upper)
                            problems.Add($"wait {k}: {gap} outside [{retryAfter}, {upper}]");
                    }
                }
                return (problems.Count == 0).Label(string.Join("; ", problems));
            }
        );
}
