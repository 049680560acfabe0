using System.Diagnostics;
using LanguageExt;
using Microsoft.Extensions.Logging;

namespace Klaviyo;

/// <summary>
/// The logging wrapper: logs each call and its outcome at Debug (method, redacted URL, operation, headers with the
/// credential masked, body kind; then the status or the failure, the number of sends and the time taken). Everything
/// is logged from the redacted request: no secret reaches a log. Put it in the chain with
/// <see cref="ClientOptions.Wrappers"/> (dependency injection does: <c>AddKlaviyo</c>).
/// </summary>
/// <example><code>
/// var options = new KlaviyoOptions
/// {
///     ClientOptions = new ClientOptions { Wrappers = Seq1&lt;Func&lt;IInterpreter, IInterpreter&gt;&gt;(inner => new Logging(inner, logger)) },
/// };
/// </code></example>
/// <param name="inner">The interpreter it wraps.</param>
/// <param name="logger">Where to log.</param>
public sealed partial class Logging(IInterpreter inner, ILogger logger) : IInterpreter
{
    /// <inheritdoc />
    public async Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    )
    {
        if (!logger.IsEnabled(LogLevel.Debug))
            return await inner.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        var safe = request.Redact();
        var url = safe.Url;
        LogRequest(
            logger,
            safe.Method.Method,
            url,
            request.OperationId ?? "-",
            string.Join(", ", safe.Headers.Map(h => $"{h.Name}: {h.Value}")),
            safe.Content.ContentType ?? "no body"
        );
        var started = Stopwatch.GetTimestamp();
        var result = await inner.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        result.Match(
            response =>
                LogResponse(
                    logger,
                    safe.Method.Method,
                    url,
                    response.StatusCode,
                    response.Body.Length,
                    response.Attempts,
                    elapsed
                ),
            error =>
                LogFailure(
                    logger,
                    safe.Method.Method,
                    url,
                    request.Scrub(error.Message),
                    error.Attempts,
                    elapsed
                )
        );
        return result;
    }

    /// <summary>The wrapped interpreter.</summary>
    public override string ToString() => $"Logging({inner})";

    [LoggerMessage(
        Level = LogLevel.Debug,
        Message = "Klaviyo request {Method} {Url} ({OperationId}) headers [{Headers}], body {BodyKind}"
    )]
    private static partial void LogRequest(
        ILogger logger,
        string method,
        string url,
        string operationId,
        string headers,
        string bodyKind
    );

    [LoggerMessage(
        Level = LogLevel.Debug,
        Message = "Klaviyo response {Method} {Url}: {Status}, {BodyLength} body bytes, {Attempts} send(s) in {ElapsedMs:0.0} ms"
    )]
    private static partial void LogResponse(
        ILogger logger,
        string method,
        string url,
        int status,
        int bodyLength,
        int attempts,
        double elapsedMs
    );

    [LoggerMessage(
        Level = LogLevel.Debug,
        Message = "Klaviyo request {Method} {Url} failed: {Reason} after {Attempts} send(s) in {ElapsedMs:0.0} ms"
    )]
    private static partial void LogFailure(
        ILogger logger,
        string method,
        string url,
        string reason,
        int attempts,
        double elapsedMs
    );
}
