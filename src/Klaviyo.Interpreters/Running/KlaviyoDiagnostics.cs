using System.Diagnostics;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// Tracing: an <see cref="ActivitySource"/> named <c>Klaviyo</c> with one client activity per send attempt
/// (method, operationId, attempt, status), so OpenTelemetry (<c>AddSource("Klaviyo")</c>) picks it up. Costs
/// nothing when no one listens. URLs are scrubbed of the request's secrets; headers are not recorded.
/// </summary>
public static class KlaviyoDiagnostics
{
    /// <summary>The name of the activity source: <c>Klaviyo</c>.</summary>
    public const string SourceName = "Klaviyo";

    /// <summary>The activity source.</summary>
    public static readonly ActivitySource Source = new(
        SourceName,
        typeof(KlaviyoDiagnostics).Assembly.GetName().Version?.ToString()
    );

    internal static Activity? StartAttempt(KlaviyoRequest request)
    {
        if (!Source.HasListeners())
            return null;
        var activity = Source.StartActivity(
            request.OperationId ?? request.Method.Method,
            ActivityKind.Client
        );
        if (activity is null)
            return null;
        activity.SetTag("http.request.method", request.Method.Method);
        activity.SetTag("klaviyo.operation_id", request.OperationId);
        activity.SetTag("klaviyo.attempt", request.Attempt);
        activity.SetTag("http.request.resend_count", request.Attempt - 1);
        activity.SetTag("url.full", Redaction.Scrub(request.Url, request.Secrets));
        return activity;
    }

    internal static void Finish(Activity activity, Either<KlaviyoError, RawResponse> result) =>
        result.Match(
            response =>
            {
                activity.SetTag("http.response.status_code", response.StatusCode);
                if (response.StatusCode >= 400)
                    activity.SetStatus(ActivityStatusCode.Error, response.StatusCode.ToString());
            },
            error =>
            {
                activity.SetTag("error.type", error.GetType().Name);
                activity.SetStatus(ActivityStatusCode.Error, error.Message);
            }
        );
}
