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
    private static readonly ConditionalWeakTable<KlaviyoOptions, IInterpreter> Chains = new();

    /// <summary>The chain for <paramref name="options"/>.</summary>
    /// <param name="options">The options.</param>
    public static IInterpreter For(KlaviyoOptions options) =>
        Chains.TryGetValue(options, out var chain) ? chain : Chains.GetValue(options, Assemble);

    private static IInterpreter Assemble(KlaviyoOptions options)
    {
        IInterpreter chain = new Guarded(options.Client ?? Interpreter.Default);
        if (options.ClientOptions.RateLimiter is { } limiter)
            chain = new RateLimited(chain, limiter);
        if (options.Retry is { } strategy)
            chain = new Retrying(
                chain,
                strategy,
                options.RetryOptions,
                options.ClientOptions.TimeProvider
            );
        chain = new Traced(chain);
        foreach (var wrap in options.ClientOptions.Wrappers.Rev())
            chain = wrap(chain) ?? chain;
        return chain;
    }
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
    ) =>
        // The live interpreter keeps these promises itself (it never throws and checks the token first), so when no
        // one observes the answers it is called directly, without another async frame.
        inner is LiveInterpreter
        && !KlaviyoMetrics.AnswersObserved
            ? inner.ExecuteAsync(request, cancellationToken)
            : GuardedAsync(request, cancellationToken);

    private async Task<Either<KlaviyoError, RawResponse>> GuardedAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    )
    {
        if (cancellationToken.IsCancellationRequested)
            return new KlaviyoError.Cancelled { Attempts = 0 };
        Either<KlaviyoError, RawResponse> outcome;
        try
        {
            outcome = await inner.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new KlaviyoError.Cancelled();
        }
        catch (Exception e)
        {
            return new KlaviyoError.Transport(
                request.Scrub($"{inner.GetType().Name} failed: {e.Message}")
            );
        }
        KlaviyoMetrics.Answered(request, outcome);
        return outcome;
    }

    public override string ToString() => inner.ToString() ?? inner.GetType().Name;
}
