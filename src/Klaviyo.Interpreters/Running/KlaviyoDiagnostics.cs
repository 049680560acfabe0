using System.Diagnostics;
using System.Diagnostics.Metrics;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// Where the library reports what it does: an <see cref="ActivitySource"/> and a <see cref="Meter"/>, both named
/// <c>Klaviyo</c>, so OpenTelemetry picks them up with <c>AddSource("Klaviyo")</c> and <c>AddMeter("Klaviyo")</c>.
/// Both cost nothing when no one listens. Nothing secret is ever recorded: URLs are redacted, headers are not recorded.
/// </summary>
/// <remarks>
/// <para>Traces: one client activity per call (<see cref="Traced"/>), named after the operation, with
/// <c>http.request.method</c>, <c>klaviyo.operation_id</c>, <c>url.full</c> (redacted), <c>http.response.status_code</c>,
/// <c>http.request.resend_count</c>, <c>error.type</c>, and a <c>klaviyo.retry</c> event per retry. Each send on the
/// wire is also an activity of .NET's own <c>System.Net.Http</c> source, a child of this one.</para>
/// <para>Metrics (tags <c>klaviyo.operation_id</c>, <c>klaviyo.outcome</c>: <c>success</c>, <c>api_error</c>,
/// <c>transport</c>, <c>timeout</c>, <c>cancelled</c>, <c>validation</c>, <c>decode</c>, <c>fixture_miss</c>;
/// <c>http.response.status_code</c> where there is one): <c>klaviyo.client.requests</c> (calls),
/// <c>klaviyo.client.request.duration</c> (s, per call, retries and waits included), <c>klaviyo.client.retries</c>
/// (resends, tag <c>klaviyo.retry.reason</c>), <c>klaviyo.client.throttled</c> (429 answers),
/// <c>klaviyo.client.rate_limit.wait</c> (s spent waiting for a client-side permit).</para>
/// </remarks>
public static class KlaviyoDiagnostics
{
    /// <summary>The name of the activity source and of the meter: <c>Klaviyo</c>.</summary>
    public const string SourceName = "Klaviyo";

    /// <summary>The activity source.</summary>
    public static readonly ActivitySource Source = new(
        SourceName,
        typeof(KlaviyoDiagnostics).Assembly.GetName().Version?.ToString()
    );

    /// <summary>The meter.</summary>
    public static readonly Meter Meter = new(
        SourceName,
        typeof(KlaviyoDiagnostics).Assembly.GetName().Version?.ToString()
    );
}

/// <summary>The instruments of <see cref="KlaviyoDiagnostics.Meter"/>.</summary>
internal static class KlaviyoMetrics
{
    private static readonly Counter<long> Requests = KlaviyoDiagnostics.Meter.CreateCounter<long>(
        "klaviyo.client.requests",
        "{request}",
        "Calls made through the library, by operation and outcome."
    );

    private static readonly Histogram<double> Duration =
        KlaviyoDiagnostics.Meter.CreateHistogram<double>(
            "klaviyo.client.request.duration",
            "s",
            "How long a call took, retries and waits included."
        );

    private static readonly Counter<long> Retries = KlaviyoDiagnostics.Meter.CreateCounter<long>(
        "klaviyo.client.retries",
        "{retry}",
        "Resends after a failed send."
    );

    private static readonly Counter<long> Throttled = KlaviyoDiagnostics.Meter.CreateCounter<long>(
        "klaviyo.client.throttled",
        "{response}",
        "429 Too Many Requests answers received."
    );

    private static readonly Histogram<double> Wait =
        KlaviyoDiagnostics.Meter.CreateHistogram<double>(
            "klaviyo.client.rate_limit.wait",
            "s",
            "Time spent waiting for a client-side rate-limit permit."
        );

    /// <summary>The outcome tag of a call.</summary>
    public static string Outcome(Either<KlaviyoError, RawResponse> outcome) =>
        outcome.Match(
            r => r.StatusCode is >= 200 and < 300 ? "success" : "api_error",
            e =>
                e switch
                {
                    KlaviyoError.Api => "api_error",
                    KlaviyoError.Transport => "transport",
                    KlaviyoError.Timeout => "timeout",
                    KlaviyoError.Cancelled => "cancelled",
                    KlaviyoError.Validation => "validation",
                    KlaviyoError.Decode => "decode",
                    KlaviyoError.FixtureMiss => "fixture_miss",
                    _ => "error",
                }
        );

    /// <summary>Whether anything listens to what <see cref="Called"/> records.</summary>
    public static bool CallsObserved => Requests.Enabled || Duration.Enabled || Throttled.Enabled;

    /// <summary>Whether anything listens to what <see cref="Answered"/> records.</summary>
    public static bool AnswersObserved => Throttled.Enabled;

    /// <summary>
    /// Whether nothing listens at all (no activity listener, no meter listener on any instrument): the tracing and
    /// guard layers then have nothing to record, and a call may skip them.
    /// </summary>
    public static bool Quiet =>
        !KlaviyoDiagnostics.Source.HasListeners() && !CallsObserved && !AnswersObserved;

    public static void Called(
        KlaviyoRequest request,
        Either<KlaviyoError, RawResponse> outcome,
        TimeSpan elapsed
    )
    {
        if (!Requests.Enabled && !Duration.Enabled && !Throttled.Enabled)
            return;
        var tags = Tags(request, outcome);
        Requests.Add(1, tags);
        Duration.Record(elapsed.TotalSeconds, tags);
    }

    public static void Answered(KlaviyoRequest request, Either<KlaviyoError, RawResponse> outcome)
    {
        if (Throttled.Enabled && outcome.Match(r => r.StatusCode == 429, _ => false))
            Throttled.Add(
                1,
                new KeyValuePair<string, object?>("klaviyo.operation_id", request.OperationId)
            );
    }

    public static void Retried(KlaviyoRequest request, Either<KlaviyoError, RawResponse> outcome)
    {
        if (!Retries.Enabled)
            return;
        Retries.Add(
            1,
            new KeyValuePair<string, object?>("klaviyo.operation_id", request.OperationId),
            new KeyValuePair<string, object?>(
                "klaviyo.retry.reason",
                outcome.Match(
                    r => r.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    e => Outcome(e)
                )
            )
        );
    }

    public static long StartWait() => Wait.Enabled ? Stopwatch.GetTimestamp() : 0;

    public static void EndWait(long started, KlaviyoRequest request)
    {
        if (started != 0)
            Wait.Record(
                Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("klaviyo.operation_id", request.OperationId)
            );
    }

    private static TagList Tags(KlaviyoRequest request, Either<KlaviyoError, RawResponse> outcome)
    {
        var tags = new TagList
        {
            { "klaviyo.operation_id", request.OperationId },
            { "klaviyo.outcome", Outcome(outcome) },
        };
        var status = outcome.Match(
            r => r.StatusCode,
            e => e is KlaviyoError.Api api ? api.StatusCode : 0
        );
        if (status != 0)
            tags.Add("http.response.status_code", status);
        return tags;
    }
}
