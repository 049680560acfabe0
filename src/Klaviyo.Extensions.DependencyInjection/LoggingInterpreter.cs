using System.Diagnostics;
using LanguageExt;
using Microsoft.Extensions.Logging;

namespace Klaviyo;

/// <summary>
/// Wraps an interpreter and logs each request and its response or failure at Debug, with every secret
/// redacted (authorization credential, the request's secret values).
/// </summary>
/// <param name="inner">The interpreter that does the work.</param>
/// <param name="logger">Where to log.</param>
public sealed partial class LoggingInterpreter(IInterpreter inner, ILogger logger) : IInterpreter
{
    /// <inheritdoc />
    public async Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    )
    {
        if (!logger.IsEnabled(LogLevel.Debug))
            return await inner.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        var url = Redaction.Scrub(request.Url, request.Secrets);
        LogRequest(
            logger,
            request.Method.Method,
            url,
            request.OperationId ?? "-",
            Redaction.Scrub(
                string.Join(
                    ", ",
                    request.Headers.Map(h => $"{h.Name}: {Redaction.HeaderValue(h.Name, h.Value)}")
                ),
                request.Secrets
            ),
            request.Body.Length
        );
        var started = Stopwatch.GetTimestamp();
        var result = await inner.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        result.Match(
            response =>
                LogResponse(
                    logger,
                    request.Method.Method,
                    url,
                    response.StatusCode,
                    response.Body.Length,
                    elapsed
                ),
            error =>
                LogFailure(
                    logger,
                    request.Method.Method,
                    url,
                    Redaction.Scrub(error.Message, request.Secrets),
                    elapsed
                )
        );
        return result;
    }

    [LoggerMessage(
        Level = LogLevel.Debug,
        Message = "Klaviyo request {Method} {Url} ({OperationId}) headers [{Headers}], {BodyLength} body bytes"
    )]
    private static partial void LogRequest(
        ILogger logger,
        string method,
        string url,
        string operationId,
        string headers,
        int bodyLength
    );

    [LoggerMessage(
        Level = LogLevel.Debug,
        Message = "Klaviyo response {Method} {Url}: {Status}, {BodyLength} body bytes in {ElapsedMs:0.0} ms"
    )]
    private static partial void LogResponse(
        ILogger logger,
        string method,
        string url,
        int status,
        int bodyLength,
        double elapsedMs
    );

    [LoggerMessage(
        Level = LogLevel.Debug,
        Message = "Klaviyo request {Method} {Url} failed: {Reason} after {ElapsedMs:0.0} ms"
    )]
    private static partial void LogFailure(
        ILogger logger,
        string method,
        string url,
        string reason,
        double elapsedMs
    );
}
