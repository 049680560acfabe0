using LanguageExt;

namespace Klaviyo;

/// <summary>
/// The one path every request takes: build it (pure), run it through the options' chain (<see cref="Pipeline"/>),
/// classify what came back (pure). Composition (<see cref="Operation{A}"/>) and pagination sit on top of it.
/// </summary>
internal static class Exchange
{
    // The runtime's timers take at most 2^32 - 2 ms.
    private static readonly TimeSpan LongestWait = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>Builds, sends and classifies one operation. Never throws for a failure of the call.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="options">The options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static Task<Either<KlaviyoError, KlaviyoResponse>> SendAsync(
        RequestOperation operation,
        KlaviyoOptions options,
        CancellationToken cancellationToken
    ) =>
        // A plain method on Either.Case (no closures, no extra async layer): the built request goes straight on.
        operation.Build(options).Case switch
        {
            KlaviyoRequest request => SendAsync(request, options, cancellationToken),
            KlaviyoError error => Task.FromResult(
                Either<KlaviyoError, KlaviyoResponse>.Left(error)
            ),
            _ => throw new InvalidOperationException("a build is a request or an error"),
        };

    /// <summary>Sends a built request through the chain and classifies the outcome.</summary>
    /// <param name="request">The request.</param>
    /// <param name="options">The options (chain, codec).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static Task<Either<KlaviyoError, KlaviyoResponse>> SendAsync(
        KlaviyoRequest request,
        KlaviyoOptions options,
        CancellationToken cancellationToken
    ) =>
        // With nothing between the exchange and the live transport (no wrapper, retry or rate limiter, and nobody
        // tracing or counting), the transport classifies the answer itself, in its own async frame.
        Pipeline.BareLive(options)
            is { } live
        && KlaviyoMetrics.Quiet
            ? live.ExchangeAsync(request, options.JsonCodec, cancellationToken)
            : ThroughChainAsync(request, options, cancellationToken);

    private static async Task<Either<KlaviyoError, KlaviyoResponse>> ThroughChainAsync(
        KlaviyoRequest request,
        KlaviyoOptions options,
        CancellationToken cancellationToken
    )
    {
        var outcome = await Pipeline
            .For(options)
            .ExecuteAsync(request, cancellationToken)
            .ConfigureAwait(false);
        return outcome.Case is RawResponse raw
            ? raw.Classify(request, options.JsonCodec)
            : Either<KlaviyoError, KlaviyoResponse>.Left((KlaviyoError)outcome.Case);
    }

    /// <summary>
    /// Waits for <see cref="Operation.Wait"/> on the options' clock; a dry run does not wait (it sends nothing, so
    /// there is nothing to wait for).
    /// </summary>
    /// <param name="delay">How long.</param>
    /// <param name="options">The options.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    public static Task WaitAsync(
        TimeSpan delay,
        KlaviyoOptions options,
        CancellationToken cancellationToken
    ) =>
        options.Client is DryRunInterpreter
            ? Task.CompletedTask
            : Task.Delay(
                delay > LongestWait ? LongestWait : delay,
                options.ClientOptions.TimeProvider,
                cancellationToken
            );
}
