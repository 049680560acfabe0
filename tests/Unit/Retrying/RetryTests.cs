using System.Globalization;
using LanguageExt;
using Xunit;
using static Klaviyo.Tests.EitherAssert;

namespace Klaviyo.Tests.Retrying;

/// <summary>Retry through the one send path, on a fake clock: waits are observed and advanced exactly.</summary>
public class RetryTests
{
    private static readonly RequestOperation Ping = new(HttpMethod.Get, "/api/accounts");

    private readonly ObservableClock _clock = new();
    private readonly List<DateTimeOffset> _sentAt = [];

    private KlaviyoOptions Options(
        StubInterpreter stub,
        RetryStrategy? strategy,
        RetryOptions? retry = null
    ) =>
        new()
        {
            ApiKey = "pk_test_0123456789abcdef",
            Client = stub,
            Retry = strategy,
            RetryOptions = retry ?? RetryOptions.Default,
            ClientOptions = new ClientOptions { TimeProvider = _clock },
        };

    /// <summary>A stub answering in order (last repeats) and noting the fake time of every send.</summary>
    private StubInterpreter Answers(params StubResponse[] inOrder)
    {
        var next = -1;
        return Interpreter
            .Stub()
            .WhenAny()
            .RespondWith(_ =>
            {
                lock (_sentAt)
                    _sentAt.Add(_clock.GetUtcNow());
                var i = Interlocked.Increment(ref next);
                return inOrder[Math.Min(i, inOrder.Length - 1)];
            });
    }

    private TimeSpan[] Gaps() => _sentAt.Zip(_sentAt.Skip(1), (a, b) => b - a).ToArray();

    private Task<Either<KlaviyoError, KlaviyoResponse>> Send(KlaviyoOptions options) =>
        _clock.DriveAsync(Ping.SendAsync(options));

    private static readonly StubResponse S503 = StubResponse.Status(503);
    private static readonly StubResponse S200 = StubResponse.Status(200);

    [Fact]
    public async Task Linear_waits_exactly_RetryIn_between_tries()
    {
        var stub = Answers(S503, S503, S200);

        var result = await Send(
            Options(stub, Retry.Linear, new RetryOptions { RetryIn = TimeSpan.FromSeconds(5) })
        );

        Assert.Equal(200, Status(result));
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)], Gaps());
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)], _clock.Waits);
    }

    [Fact]
    public async Task Linear_does_not_send_again_before_RetryIn_has_passed()
    {
        var stub = Answers(S503, S200);
        var options = Options(
            stub,
            Retry.Linear,
            new RetryOptions { RetryIn = TimeSpan.FromSeconds(5) }
        );

        var sending = Ping.SendAsync(options);
        Assert.Equal(TimeSpan.FromSeconds(5), await _clock.NextTimerAsync());
        _clock.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        Assert.Single(stub.Calls);
        _clock.Advance(TimeSpan.FromTicks(1));

        Assert.Equal(200, Status(await sending.WaitAsync(TimeSpan.FromMinutes(1))));
        Assert.Equal(2, stub.Calls.Count);
    }

    [Fact]
    public async Task Linear_with_the_default_RetryIn_retries_at_once_without_waiting()
    {
        var stub = Answers(S503, S200);

        Assert.Equal(200, Status(await Send(Options(stub, Retry.Linear))));
        Assert.Equal(2, stub.Calls.Count);
        Assert.Empty(_clock.Waits);
    }

    [Fact]
    public async Task Retries_a_503_at_most_MaxRetries_times_and_counts_every_send()
    {
        var stub = Answers(S503);

        var error = Assert.IsType<KlaviyoError.Api>(Err(await Send(Options(stub, Retry.Linear))));

        Assert.Equal(503, error.StatusCode);
        Assert.Equal(4, error.Attempts);
        Assert.Equal(4, stub.Calls.Count);
        Assert.Contains("after 4 attempts", error.ToString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(6)]
    public async Task MaxRetries_bounds_the_number_of_sends(int maxRetries)
    {
        var stub = Answers(StubResponse.TransportFailure());

        var error = Err(
            await Send(Options(stub, Retry.Linear, new RetryOptions { MaxRetries = maxRetries }))
        );

        Assert.IsType<KlaviyoError.Transport>(error);
        Assert.Equal(maxRetries + 1, error.Attempts);
        Assert.Equal(maxRetries + 1, stub.Calls.Count);
    }

    [Fact]
    public async Task Without_a_strategy_a_503_is_sent_once()
    {
        var stub = Answers(S503, S200);

        Assert.Equal(503, Status(await Send(Options(stub, strategy: null))));
        Assert.Single(stub.Calls);
    }

    [Fact]
    public async Task Transport_failures_timeouts_429_and_5xx_are_retried()
    {
        var stub = Answers(
            StubResponse.TransportFailure(),
            StubResponse.Timeout(),
            StubResponse.Status(429),
            StubResponse.Status(500),
            StubResponse.Status(502),
            S200
        );

        var result = await Send(Options(stub, Retry.Linear, new RetryOptions { MaxRetries = 5 }));

        Assert.Equal(200, Status(result));
        Assert.Equal(6, stub.Calls.Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(422)]
    public async Task A_4xx_other_than_429_is_not_retried(int status)
    {
        var stub = Answers(StubResponse.Status(status), S200);

        var error = Err(await Send(Options(stub, Retry.Linear)));

        Assert.Equal(status, Assert.IsType<KlaviyoError.Api>(error).StatusCode);
        Assert.Equal(1, error.Attempts);
        Assert.Single(stub.Calls);
    }

    [Fact]
    public async Task A_validation_error_is_not_retried_and_nothing_is_sent()
    {
        var stub = Answers(S200);
        var invalid = PathTemplate.Operation(HttpMethod.Get, "/api/profiles/{id}", "");

        var error = Err(await _clock.DriveAsync(invalid.SendAsync(Options(stub, Retry.Linear))));

        Assert.IsType<KlaviyoError.Validation>(error);
        Assert.Equal(0, error.Attempts);
        Assert.Empty(stub.Calls);
    }

    [Fact]
    public async Task A_2xx_that_cannot_be_decoded_is_not_retried()
    {
        var stub = Answers(StubResponse.Status(200, "{not json"), S200);

        var error = Err(await Send(Options(stub, Retry.Linear)));

        Assert.Equal(200, Assert.IsType<KlaviyoError.Decode>(error).StatusCode);
        Assert.Single(stub.Calls);
    }

    [Fact]
    public async Task Retry_After_in_seconds_on_a_429_is_waited()
    {
        var stub = Answers(StubResponse.Status(429, headers: ("Retry-After", "7")), S200);

        var result = await Send(
            Options(stub, Retry.Linear, new RetryOptions { RetryIn = TimeSpan.FromSeconds(1) })
        );

        Assert.Equal(200, Status(result));
        Assert.Equal([TimeSpan.FromSeconds(7)], Gaps());
    }

    [Fact]
    public async Task Retry_After_as_an_HTTP_date_on_a_503_is_waited()
    {
        var at = _clock.GetUtcNow().AddSeconds(9).ToString("r", CultureInfo.InvariantCulture);
        var stub = Answers(StubResponse.Status(503, headers: ("Retry-After", at)), S200);

        var result = await Send(Options(stub, Retry.Linear));

        Assert.Equal(200, Status(result));
        Assert.Equal([TimeSpan.FromSeconds(9)], Gaps());
    }

    [Fact]
    public async Task Retry_After_is_a_minimum_so_a_longer_RetryIn_still_applies()
    {
        var stub = Answers(StubResponse.Status(429, headers: ("Retry-After", "1")), S200);

        await Send(
            Options(stub, Retry.Linear, new RetryOptions { RetryIn = TimeSpan.FromSeconds(4) })
        );

        Assert.Equal([TimeSpan.FromSeconds(4)], Gaps());
    }

    [Fact]
    public async Task A_Retry_After_longer_than_MaxRetryAfter_gives_up_with_that_429()
    {
        var stub = Answers(StubResponse.Status(429, headers: ("Retry-After", "120")), S200);

        var error = Err(
            await Send(
                Options(
                    stub,
                    Retry.Linear,
                    new RetryOptions { MaxRetryAfter = TimeSpan.FromSeconds(60) }
                )
            )
        );

        Assert.Equal(429, Assert.IsType<KlaviyoError.Api>(error).StatusCode);
        Assert.Equal(1, error.Attempts);
        Assert.Single(stub.Calls);
        Assert.Empty(_clock.Waits);
    }

    [Fact]
    public async Task Retry_After_on_a_500_is_not_read()
    {
        var stub = Answers(StubResponse.Status(500, headers: ("Retry-After", "120")), S200);

        var result = await Send(
            Options(
                stub,
                Retry.Linear,
                new RetryOptions { MaxRetryAfter = TimeSpan.FromSeconds(60) }
            )
        );

        Assert.Equal(200, Status(result));
        Assert.Empty(_clock.Waits);
    }

    [Fact]
    public async Task Cancelling_during_a_wait_ends_the_call_at_once_with_Cancelled()
    {
        var stub = Answers(S503);
        using var cts = new CancellationTokenSource();
        var options = Options(
            stub,
            Retry.Linear,
            new RetryOptions { RetryIn = TimeSpan.FromHours(1) }
        );

        var sending = Ping.SendAsync(options, cts.Token);
        await _clock.NextTimerAsync();
        await cts.CancelAsync();

        var error = Err(await sending.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.IsType<KlaviyoError.Cancelled>(error);
        Assert.Equal(1, error.Attempts);
        Assert.Single(stub.Calls);
    }

    [Fact]
    public async Task The_final_error_is_the_last_outcome_with_every_send_counted()
    {
        var stub = Answers(S503, StubResponse.TransportFailure(), StubResponse.Status(404));

        var error = Err(await Send(Options(stub, Retry.Linear)));

        Assert.Equal(404, Assert.IsType<KlaviyoError.Api>(error).StatusCode);
        Assert.Equal(3, error.Attempts);
    }

    [Theory]
    [InlineData(1.0, new[] { 100, 300, 900, 1000 })]
    [InlineData(0.5, new[] { 50, 150, 450, 500 })]
    [InlineData(0.0, new int[0])]
    public async Task Exponential_waits_a_jittered_fraction_of_base_times_factor_to_the_n_capped(
        double jitter,
        int[] expectedMs
    )
    {
        var stub = Answers(S503);
        var options = Options(
            stub,
            Retry.Exponential,
            new RetryOptions
            {
                MaxRetries = 4,
                BaseDelay = TimeSpan.FromMilliseconds(100),
                Factor = 3,
                MaxDelay = TimeSpan.FromSeconds(1),
            }
        );
        var request = RequestBuilder
            .Build(Ping, options)
            .Match(r => r, e => throw new Xunit.Sdk.XunitException(e.ToString()));

        var error = Err(
            (
                await _clock.DriveAsync(
                    new Klaviyo.Retrying(
                        stub,
                        Retry.Exponential,
                        options.RetryOptions,
                        options.ClientOptions.TimeProvider,
                        () => jitter
                    ).ExecuteAsync(request, default)
                )
            ).Bind(raw => raw.Classify())
        );

        Assert.Equal(5, error.Attempts);
        Assert.Equal(expectedMs.Select(ms => TimeSpan.FromMilliseconds(ms)), _clock.Waits);
    }

    [Fact]
    public async Task Retry_also_applies_to_each_send_of_a_composed_program()
    {
        var stub = Interpreter
            .Stub()
            .When(HttpMethod.Get, "/api/flaky")
            .Respond(S503, S503, S200)
            .WhenAny()
            .Respond(201);
        var options = Options(
            stub,
            Retry.Linear,
            new RetryOptions { RetryIn = TimeSpan.FromSeconds(2) }
        );
        var program =
            from a in new RequestOperation(HttpMethod.Get, "/api/flaky")
            from b in new RequestOperation(HttpMethod.Get, "/api/steady")
            select (a.StatusCode, b.StatusCode);

        var result = await _clock.DriveAsync(program.RunAsync(options));

        Assert.Equal(
            (200, 201),
            result.IfLeft(e => throw new Xunit.Sdk.XunitException(e.ToString()))
        );
        Assert.Equal(4, stub.Calls.Count);
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)], _clock.Waits);
    }
}
