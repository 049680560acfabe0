using System.Diagnostics;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// The retrying wrapper: sends through <c>inner</c> and, after a failed send, asks <see cref="RetryPolicy.Decide"/>
/// whether and when to send again (the strategy gives the wait; the policy says which failures, how many times, and
/// honours <c>Retry-After</c>). Waits run on the given <see cref="TimeProvider"/>, so tests drive them with a fake
/// clock. The outcome it returns carries the number of sends made (<see cref="RawResponse.Attempts"/>,
/// <see cref="KlaviyoError.Attempts"/>). <see cref="KlaviyoOptions.Retry"/> puts one in the chain.
/// </summary>
/// <example><code>
/// var retrying = new Retrying(Interpreter.Live(), Retry.Linear, RetryOptions.Default with { RetryIn = TimeSpan.FromSeconds(1) });
/// </code></example>
public sealed class Retrying : IInterpreter
{
    private readonly IInterpreter _inner;
    private readonly RetryStrategy _strategy;
    private readonly RetryOptions _options;
    private readonly TimeProvider _clock;
    private readonly Func<double> _jitter;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The interpreter that sends.</param>
    /// <param name="strategy">How long to wait between sends.</param>
    /// <param name="options">Limits and delays; <see cref="RetryOptions.Default"/> when <c>null</c>.</param>
    /// <param name="clock">The clock for waits; the system clock when <c>null</c>.</param>
    /// <param name="jitter">A source of random numbers in [0, 1] for the strategy; <see cref="Random.Shared"/> when <c>null</c>.</param>
    public Retrying(
        IInterpreter inner,
        RetryStrategy strategy,
        RetryOptions? options = null,
        TimeProvider? clock = null,
        Func<double>? jitter = null
    )
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(strategy);
        _inner = inner;
        _strategy = strategy;
        _options = options ?? RetryOptions.Default;
        _clock = clock ?? TimeProvider.System;
        _jitter = jitter ?? Random.Shared.NextDouble;
    }

    /// <inheritdoc />
    public async Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    )
    {
        var sends = 0;
        for (var tries = 1; ; tries++)
        {
            var attempt = tries == 1 ? request : request with { Attempt = tries };
            var outcome = await _inner
                .ExecuteAsync(attempt, cancellationToken)
                .ConfigureAwait(false);
            // A response was a send; an error says itself whether anything reached the wire (Attempts 0: no).
            sends += outcome.Match(_ => 1, e => Math.Min(e.Attempts, 1));
            var decision = RetryPolicy.Decide(
                _strategy,
                _options,
                attempt,
                outcome,
                tries,
                _clock.GetUtcNow(),
                _jitter()
            );
            if (decision is not RetryDecision.Wait { Delay: var delay })
                return WithSends(outcome, sends);
            KlaviyoMetrics.Retried(attempt, outcome);
            Activity.Current?.AddEvent(
                new ActivityEvent(
                    "klaviyo.retry",
                    tags: new ActivityTagsCollection
                    {
                        ["klaviyo.attempt"] = tries,
                        ["klaviyo.retry.delay_ms"] = delay.TotalMilliseconds,
                        ["klaviyo.retry.reason"] = outcome.Match(
                            r =>
                                r.StatusCode.ToString(
                                    System.Globalization.CultureInfo.InvariantCulture
                                ),
                            e => e.GetType().Name
                        ),
                    }
                )
            );
            if (delay <= TimeSpan.Zero)
                continue;
            try
            {
                await Task.Delay(delay, _clock, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return new KlaviyoError.Cancelled { Attempts = sends };
            }
        }
    }

    // The outcome as it is when it already counts the sends (the usual first-time success): no copy, no closure.
    private static Either<KlaviyoError, RawResponse> WithSends(
        Either<KlaviyoError, RawResponse> outcome,
        int sends
    ) =>
        outcome.Match(static response => response.Attempts, static error => error.Attempts) == sends
            ? outcome
            : Recounted(outcome, sends);

    private static Either<KlaviyoError, RawResponse> Recounted(
        Either<KlaviyoError, RawResponse> outcome,
        int sends
    ) =>
        outcome.BiMap(
            response => response with { Attempts = sends },
            error => error with { Attempts = sends }
        );

    /// <summary>The wrapped interpreter and the strategy.</summary>
    public override string ToString() => $"Retrying({_strategy}, {_inner})";
}
