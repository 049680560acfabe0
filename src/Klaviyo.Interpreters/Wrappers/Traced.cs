using System.Diagnostics;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// The tracing wrapper: one client <see cref="Activity"/> per call on <see cref="KlaviyoDiagnostics.Source"/>
/// (retries show as <c>klaviyo.retry</c> events inside it), and the call's metrics on
/// <see cref="KlaviyoDiagnostics.Meter"/>. The URL is recorded redacted; headers and bodies are not recorded.
/// Every chain <see cref="KlaviyoOptions"/> assembles has one, outside <see cref="Retrying"/>.
/// </summary>
/// <param name="inner">The interpreter it wraps.</param>
public sealed class Traced(IInterpreter inner) : IInterpreter
{
    /// <inheritdoc />
    public Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    ) =>
        // Nobody listening: no activity, no metrics, so no extra async frame either.
        KlaviyoDiagnostics.Source.HasListeners() || KlaviyoMetrics.CallsObserved
            ? ObservedAsync(request, cancellationToken)
            : inner.ExecuteAsync(request, cancellationToken);

    private async Task<Either<KlaviyoError, RawResponse>> ObservedAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    )
    {
        var started = Stopwatch.GetTimestamp();
        using var activity = KlaviyoDiagnostics.Source.HasListeners() ? Start(request) : null;
        var outcome = await inner.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        if (activity is not null)
            Finish(activity, outcome);
        KlaviyoMetrics.Called(request, outcome, Stopwatch.GetElapsedTime(started));
        return outcome;
    }

    private static Activity? Start(KlaviyoRequest request)
    {
        var activity = KlaviyoDiagnostics.Source.StartActivity(
            request.OperationId ?? request.Method.Method,
            ActivityKind.Client
        );
        if (activity is null)
            return null;
        activity.SetTag("http.request.method", request.Method.Method);
        activity.SetTag("klaviyo.operation_id", request.OperationId);
        activity.SetTag("url.full", request.Redact().Url);
        return activity;
    }

    private static void Finish(Activity activity, Either<KlaviyoError, RawResponse> outcome) =>
        outcome.Match(
            response =>
            {
                activity.SetTag("http.response.status_code", response.StatusCode);
                activity.SetTag("http.request.resend_count", response.Attempts - 1);
                if (response.StatusCode >= 400)
                    activity.SetStatus(ActivityStatusCode.Error, response.StatusCode.ToString());
            },
            error =>
            {
                activity.SetTag("error.type", error.GetType().Name);
                activity.SetTag("http.request.resend_count", Math.Max(error.Attempts - 1, 0));
                activity.SetStatus(ActivityStatusCode.Error, error.Message);
            }
        );

    /// <summary>The wrapped interpreter.</summary>
    public override string ToString() => $"Traced({inner})";
}
