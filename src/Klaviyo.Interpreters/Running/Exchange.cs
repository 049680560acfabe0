using LanguageExt;

namespace Klaviyo;

/// <summary>
/// The one path every request takes: build, execute on the chosen interpreter, classify, retry. Written once for
/// all interpreters; composition (<see cref="Operation{A}"/>) sits on top of it.
/// </summary>
public static class Exchange
{
    /// <summary>Builds, sends and classifies one operation.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="options">The options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async Task<Either<KlaviyoError, KlaviyoResponse>> SendAsync(
        RequestOperation operation,
        KlaviyoOptions options,
        CancellationToken cancellationToken
    )
    {
        var built = RequestBuilder.Build(operation, options);
        if (built.IsLeft)
            return built.Map(_ => default(KlaviyoResponse)!);
        var request = (KlaviyoRequest)built;
        return await SendAsync(request, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends and classifies one concrete request, retrying as <see cref="KlaviyoOptions.Retry"/> says: the decision
    /// is <see cref="RetryPolicy.Decide"/>, waits go through <see cref="ClientOptions.TimeProvider"/>, and the
    /// returned error's <see cref="KlaviyoError.Attempts"/> is the number of sends made.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="options">The options (interpreter, codec, retry, clock).</param>
    /// <param name="cancellationToken">Cancels the call, including a wait between tries.</param>
    public static Task<Either<KlaviyoError, KlaviyoResponse>> SendAsync(
        KlaviyoRequest request,
        KlaviyoOptions options,
        CancellationToken cancellationToken
    ) => SendAsync(request, options, Random.Shared.NextDouble, cancellationToken);

    /// <summary>As the public overload, with the jitter source given (tests pin it).</summary>
    internal static async Task<Either<KlaviyoError, KlaviyoResponse>> SendAsync(
        KlaviyoRequest request,
        KlaviyoOptions options,
        Func<double> jitter,
        CancellationToken cancellationToken
    )
    {
        var interpreter = options.Client ?? Interpreter.Default;
        var clock = options.ClientOptions.TimeProvider;
        var sends = 0;
        for (var tries = 1; ; tries++)
        {
            var attempt = tries == 1 ? request : request with { Attempt = tries };
            Either<KlaviyoError, RawResponse> raw;
            if (options.ClientOptions.RateLimiter is { } limiter)
            {
                var lease = await limiter
                    .AcquireAsync(attempt, cancellationToken)
                    .ConfigureAwait(false);
                if (lease.IsLeft)
                    return ((KlaviyoError)lease.Case!) with { Attempts = sends };
                var held = (IRateLimitLease)lease.Case!;
                raw = await ExecuteOnceAsync(interpreter, attempt, cancellationToken)
                    .ConfigureAwait(false);
                await held.ReleaseAsync(raw).ConfigureAwait(false);
            }
            else
                raw = await ExecuteOnceAsync(interpreter, attempt, cancellationToken)
                    .ConfigureAwait(false);
            var result = raw.Bind(r =>
                ResponseClassifier.Classify(r, options.JsonCodec, request.Secrets)
            );
            if (result.IsRight)
                return result;
            var error = (KlaviyoError)result.Case!;
            // The interpreter says whether this exchange reached the wire (Attempts 0: it did not).
            sends += error.Attempts;
            if (error.Attempts != sends)
                error = error with { Attempts = sends };
            if (options.Retry is null)
                return error;
            var decision = RetryPolicy.Decide(
                options.Retry,
                options.RetryOptions,
                error,
                tries,
                clock.GetUtcNow(),
                jitter()
            );
            if (decision is not RetryDecision.Wait { Delay: var delay })
                return error;
            if (delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return new KlaviyoError.Cancelled { Attempts = sends };
                }
            }
        }
    }

    /// <summary>Runs one exchange on <paramref name="interpreter"/>, turning anything it throws into an error.</summary>
    /// <param name="interpreter">The interpreter.</param>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    public static async Task<Either<KlaviyoError, RawResponse>> ExecuteOnceAsync(
        IInterpreter interpreter,
        KlaviyoRequest request,
        CancellationToken cancellationToken
    )
    {
        if (cancellationToken.IsCancellationRequested)
            return new KlaviyoError.Cancelled { Attempts = 0 };
        using var activity = KlaviyoDiagnostics.StartAttempt(request);
        try
        {
            var result = await interpreter
                .ExecuteAsync(request, cancellationToken)
                .ConfigureAwait(false);
            if (activity is not null)
                KlaviyoDiagnostics.Finish(activity, result);
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new KlaviyoError.Cancelled();
        }
        catch (Exception e)
        {
            return new KlaviyoError.Transport(
                Redaction.Scrub(
                    $"{interpreter.GetType().Name} failed: {e.Message}",
                    request.Secrets
                )
            );
        }
    }
}
