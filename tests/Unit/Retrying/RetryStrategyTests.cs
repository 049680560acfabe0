using System.Collections.Concurrent;
using LanguageExt;
using Xunit;
using static Klaviyo.Tests.EitherAssert;

namespace Klaviyo.Tests.Retrying;

/// <summary>
/// The retry strategy is open (a record of one's own), the Retrying wrapper uses it, and "retryable" has one
/// definition: what <see cref="KlaviyoError.IsRetryable"/> says is what the client does.
/// </summary>
public class RetryStrategyTests
{
    private static readonly RequestOperation Ping = new(HttpMethod.Get, "/api/accounts");

    private readonly ObservableClock _clock = new();

    /// <summary>Waits 7 s × the retry number, and notes what it was asked.</summary>
    private sealed record Stepped : RetryStrategy
    {
        public ConcurrentQueue<RetryContext> Asked { get; } = new();

        public override TimeSpan WaitFor(RetryContext context)
        {
            Asked.Enqueue(context);
            return TimeSpan.FromSeconds(7 * context.Retry);
        }
    }

    /// <summary>Asks for a negative wait: it counts as none.</summary>
    private sealed record Impatient : RetryStrategy
    {
        public override TimeSpan WaitFor(RetryContext context) => TimeSpan.FromSeconds(-5);
    }

    private static StubInterpreter Answers(params StubResponse[] inOrder)
    {
        var next = -1;
        return Interpreter
            .Stub()
            .WhenAny()
            .RespondWith(_ =>
                inOrder[Math.Min(Interlocked.Increment(ref next), inOrder.Length - 1)]
            );
    }

    private KlaviyoOptions Options(
        IInterpreter client,
        RetryStrategy strategy,
        int maxRetries = 3
    ) =>
        new()
        {
            ApiKey = "pk_test_0123456789abcdef",
            Client = client,
            Retry = strategy,
            RetryOptions = new RetryOptions { MaxRetries = maxRetries },
            ClientOptions = new ClientOptions { TimeProvider = _clock },
        };

    [Fact]
    public async Task A_strategy_of_ones_own_decides_the_waits_of_the_client()
    {
        var stub = Answers(
            StubResponse.Status(503),
            StubResponse.Status(503),
            StubResponse.Status(200)
        );
        var strategy = new Stepped();

        var response = Ok(await _clock.DriveAsync(Ping.SendAsync(Options(stub, strategy))));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(3, response.Attempts);
        Assert.Equal([TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(14)], _clock.Waits);
        Assert.Equal([1, 2], strategy.Asked.Select(c => c.Retry));
        Assert.Equal([1, 2], strategy.Asked.Select(c => c.Request.Attempt));
        Assert.All(strategy.Asked, c => Assert.Equal("/api/accounts", c.Request.Path));
        Assert.All(strategy.Asked, c => Assert.InRange(c.Jitter, 0, 1));
        Assert.Equal([1, 2, 3], stub.Calls.Select(c => c.Attempt));
    }

    [Fact]
    public async Task The_Retrying_wrapper_takes_a_strategy_of_ones_own()
    {
        var stub = Answers(StubResponse.Status(500), StubResponse.Status(204));
        var strategy = new Stepped();
        var retrying = new Klaviyo.Retrying(
            stub,
            strategy,
            RetryOptions.Default,
            _clock,
            jitter: () => 0.25
        );
        var request = Ok(Ping.Build(new KlaviyoOptions { ApiKey = "pk_test_0123456789abcdef" }));

        var outcome = await _clock.DriveAsync(
            retrying.ExecuteAsync(request, CancellationToken.None)
        );

        var raw = Ok(outcome);
        Assert.Equal(204, raw.StatusCode);
        Assert.Equal(2, raw.Attempts);
        Assert.Equal([TimeSpan.FromSeconds(7)], _clock.Waits);
        Assert.Equal(0.25, Assert.Single(strategy.Asked).Jitter);
        Assert.Contains("Stepped", retrying.ToString());
    }

    [Fact]
    public async Task A_negative_wait_from_a_strategy_means_at_once()
    {
        var stub = Answers(StubResponse.Status(503), StubResponse.Status(200));

        var response = Ok(await _clock.DriveAsync(Ping.SendAsync(Options(stub, new Impatient()))));

        Assert.Equal(2, response.Attempts);
        Assert.Empty(_clock.Waits);
    }

    [Fact]
    public void Linear_and_Exponential_are_two_instances_of_the_open_strategy()
    {
        Assert.IsAssignableFrom<RetryStrategy>(Retry.Linear);
        Assert.IsAssignableFrom<RetryStrategy>(Retry.Exponential);
        Assert.True(typeof(RetryStrategy).IsAbstract);
        Assert.Contains(
            typeof(RetryStrategy).GetConstructors(
                System.Reflection.BindingFlags.Instance
                    | System.Reflection.BindingFlags.NonPublic
                    | System.Reflection.BindingFlags.Public
            ),
            c => c.IsFamily || c.IsPublic
        );
    }

    // ---- one definition of "retryable" ----

    [Theory]
    [InlineData(428, false)]
    [InlineData(429, true)]
    [InlineData(499, false)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(599, true)]
    [InlineData(600, false)]
    [InlineData(799, false)]
    public async Task IsRetryable_says_exactly_what_the_client_does_with_a_status(
        int status,
        bool retryable
    )
    {
        var stub = Answers(StubResponse.Status(status));

        var error = Err(await _clock.DriveAsync(Ping.SendAsync(Options(stub, Retry.Linear, 2))));

        Assert.Equal(status, Assert.IsType<KlaviyoError.Api>(error).StatusCode);
        Assert.Equal(retryable, error.IsRetryable);
        Assert.Equal(retryable, RetryPolicy.IsRetryableStatus(status));
        Assert.Equal(retryable, RetryPolicy.IsRetryable(error));
        Assert.Equal(retryable ? 3 : 1, stub.Calls.Count);
        Assert.Equal(stub.Calls.Count, error.Attempts);
    }

    [Theory]
    [InlineData(428, false)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(599, true)]
    [InlineData(600, false)]
    public async Task IsRetryable_of_an_undecodable_answer_follows_its_status(
        int status,
        bool retryable
    )
    {
        var stub = Answers(
            StubResponse.Raw(
                new RawResponse(
                    status,
                    Prelude.Seq1(("content-type", "application/vnd.api+json")),
                    "{not json"u8.ToArray()
                )
            )
        );

        var error = Err(await _clock.DriveAsync(Ping.SendAsync(Options(stub, Retry.Linear, 2))));

        Assert.IsType<KlaviyoError.Decode>(error);
        Assert.Equal(retryable, error.IsRetryable);
        Assert.Equal(retryable ? 3 : 1, stub.Calls.Count);
    }

    [Fact]
    public async Task IsRetryable_says_exactly_what_the_client_does_with_failures()
    {
        var cases = new (StubResponse Answer, bool Retried)[]
        {
            (StubResponse.TransportFailure(), true),
            (StubResponse.Timeout(), true),
            (StubResponse.Status(404), false),
        };
        foreach (var (answer, retried) in cases)
        {
            var stub = Answers(answer);

            var error = Err(
                await _clock.DriveAsync(Ping.SendAsync(Options(stub, Retry.Linear, 1)))
            );

            Assert.Equal(retried, error.IsRetryable);
            Assert.Equal(retried ? 2 : 1, stub.Calls.Count);
        }
        Assert.False(new KlaviyoError.Cancelled().IsRetryable);
        Assert.False(new KlaviyoError.Validation(Prelude.Seq1("bad")).IsRetryable);
        Assert.False(new KlaviyoError.FixtureMiss("GET /api/x", default, "f.json").IsRetryable);
    }
}
