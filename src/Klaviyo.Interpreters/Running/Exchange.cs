using LanguageExt;

namespace Klaviyo;

/// <summary>
/// The one path every request takes: build, execute on the chosen interpreter, classify. Written once for all
/// interpreters; composition and retry sit on top of it.
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

    /// <summary>Sends and classifies one concrete request.</summary>
    /// <param name="request">The request.</param>
    /// <param name="options">The options (interpreter, codec).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async Task<Either<KlaviyoError, KlaviyoResponse>> SendAsync(
        KlaviyoRequest request,
        KlaviyoOptions options,
        CancellationToken cancellationToken
    )
    {
        var interpreter = options.Client ?? Interpreter.Default;
        var raw = await ExecuteOnceAsync(interpreter, request, cancellationToken)
            .ConfigureAwait(false);
        return raw.Bind(r => ResponseClassifier.Classify(r, options.JsonCodec, request.Secrets));
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
        try
        {
            return await interpreter.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
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
