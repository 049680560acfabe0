using System.Runtime.CompilerServices;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// Assembles, once per options instance, the chain every request of those options goes through:
/// your <see cref="ClientOptions.Wrappers"/> (the first outermost) → <see cref="Traced"/> → <see cref="Retrying"/>
/// (when <see cref="KlaviyoOptions.Retry"/> is set) → <see cref="RateLimited"/> (when
/// <see cref="ClientOptions.RateLimiter"/> is set) → the transport (<see cref="KlaviyoOptions.Client"/>: live,
/// replay, record, stub, dry run), guarded so that an exception it throws becomes a failure.
/// </summary>
internal static class Pipeline
{
    private static readonly ConditionalWeakTable<KlaviyoOptions, Chain> Chains = new();

    /// <summary>The chain for <paramref name="options"/>.</summary>
    /// <param name="options">The options.</param>
    public static IInterpreter For(KlaviyoOptions options) => Get(options).Interpreter;

    /// <summary>
    /// The live transport when the chain for <paramref name="options"/> is only the always-on layers around it
    /// (<see cref="Traced"/> and <see cref="Guarded"/>: no wrapper, retry or rate limiter); <c>null</c> otherwise. With
    /// nothing listening those layers add nothing, so the exchange may call the transport directly.
    /// </summary>
    /// <param name="options">The options.</param>
    public static LiveInterpreter? BareLive(KlaviyoOptions options) => Get(options).BareLive;

    private static Chain Get(KlaviyoOptions options) =>
        Chains.TryGetValue(options, out var chain) ? chain : Chains.GetValue(options, Assemble);

    private static Chain Assemble(KlaviyoOptions options)
    {
        var transport = options.Client ?? Interpreter.Default;
        IInterpreter chain = new Guarded(transport);
        var layered = false;
        if (options.ClientOptions.RateLimiter is { } limiter)
        {
            chain = new RateLimited(chain, limiter);
            layered = true;
        }
        if (options.Retry is { } strategy)
        {
            chain = new Retrying(
                chain,
                strategy,
                options.RetryOptions,
                options.ClientOptions.TimeProvider
            );
            layered = true;
        }
        chain = new Traced(chain);
        foreach (var wrap in options.ClientOptions.Wrappers.Rev())
        {
            var wrapped = wrap(chain) ?? chain;
            layered |= !ReferenceEquals(wrapped, chain);
            chain = wrapped;
        }
        return new Chain(chain, !layered ? transport as LiveInterpreter : null);
    }

    private sealed record Chain(IInterpreter Interpreter, LiveInterpreter? BareLive);
}

/// <summary>
/// Keeps the transport's promise for it: a cancelled token ends the exchange before it starts, and an exception the
/// transport throws (a user's interpreter, say) becomes a <see cref="KlaviyoError.Transport"/> naming it, scrubbed.
/// </summary>
/// <param name="inner">The transport.</param>
internal sealed class Guarded(IInterpreter inner) : IInterpreter
{
    public Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    )
    {
        var observed = KlaviyoMetrics.AnswersObserved;
        // The live interpreter keeps these promises itself (it never throws and checks the token first), so when no
        // one observes the answers it is called directly, without another async frame.
        if (inner is LiveInterpreter && !observed)
            return inner.ExecuteAsync(request, cancellationToken);
        if (cancellationToken.IsCancellationRequested)
            return Task.FromResult<Either<KlaviyoError, RawResponse>>(
                new KlaviyoError.Cancelled { Attempts = 0 }
            );
        Task<Either<KlaviyoError, RawResponse>> answer;
        try
        {
            answer = inner.ExecuteAsync(request, cancellationToken);
        }
        catch (Exception e)
        {
            return Task.FromResult<Either<KlaviyoError, RawResponse>>(
                Failure(inner, request, e, cancellationToken)
            );
        }
        // An answer already there (a stub, a replay, a dry run) is passed on as it is when no one observes it: what
        // awaiting it here would give, without another async frame. A pending or failed one is awaited and guarded.
        return answer is { IsCompletedSuccessfully: true } && !observed
            ? answer
            : GuardedAsync(answer, request, cancellationToken);
    }

    private async Task<Either<KlaviyoError, RawResponse>> GuardedAsync(
        Task<Either<KlaviyoError, RawResponse>> answer,
        KlaviyoRequest request,
        CancellationToken cancellationToken
    )
    {
        Either<KlaviyoError, RawResponse> outcome;
        try
        {
            outcome = await answer.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return Failure(inner, request, e, cancellationToken);
        }
        KlaviyoMetrics.Answered(request, outcome);
        return outcome;
    }

    /// <summary>
    /// What an exception a transport met becomes: <see cref="KlaviyoError.Cancelled"/> when it is a cancellation the
    /// caller asked for, else a <see cref="KlaviyoError.Transport"/> naming the transport and the exception's message,
    /// scrubbed of the request's secrets.
    /// </summary>
    /// <param name="transport">The transport that met it.</param>
    /// <param name="request">The request it was sending.</param>
    /// <param name="exception">The exception.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    internal static KlaviyoError Failure(
        IInterpreter transport,
        KlaviyoRequest request,
        Exception exception,
        CancellationToken cancellationToken
    ) =>
        exception is OperationCanceledException && cancellationToken.IsCancellationRequested
            ? new KlaviyoError.Cancelled()
            : new KlaviyoError.Transport(
                request.Scrub($"{transport.GetType().Name} failed: {exception.Message}")
            );

    public override string ToString() => inner.ToString() ?? inner.GetType().Name;
}
