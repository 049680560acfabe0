using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Xunit;

namespace Klaviyo.Tests;

/// <summary>The "Klaviyo" meter, observed with a <see cref="MeterListener"/>.</summary>
[Collection("Activities")]
public class MetricsTests
{
    private sealed record Measurement(
        string Instrument,
        double Value,
        Dictionary<string, object?> Tags
    );

    private static (MeterListener Listener, ConcurrentQueue<Measurement> Seen) Listen(string marker)
    {
        var seen = new ConcurrentQueue<Measurement>();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == KlaviyoDiagnostics.SourceName)
                    l.EnableMeasurementEvents(instrument);
            },
        };
        void Record(
            Instrument instrument,
            double value,
            ReadOnlySpan<KeyValuePair<string, object?>> tags
        )
        {
            var map = new Dictionary<string, object?>();
            foreach (var t in tags)
                map[t.Key] = t.Value;
            // Other tests run at the same time: keep only this test's operation.
            if (map.TryGetValue("klaviyo.operation_id", out var id) && Equals(id, marker))
                seen.Enqueue(new Measurement(instrument.Name, value, map));
        }
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();
        return (listener, seen);
    }

    [Fact]
    public async Task Calls_retries_429s_duration_and_permit_waits_are_measured_by_operation_and_outcome()
    {
        var marker = "metrics_" + Guid.NewGuid().ToString("N");
        var (listener, seen) = Listen(marker);
        using var _ = listener;
        var clock = new ObservableClock();
        var stub = Interpreter
            .Stub()
            .WhenAny()
            .Respond(
                StubResponse.Status(429, headers: ("Retry-After", "1")),
                StubResponse.Status(503),
                StubResponse.Status(200, """{"data":[]}""")
            );
        using var limiter = new CatalogRateLimiter(_ => null);
        var options = new KlaviyoOptions
        {
            ApiKey = "pk_metrics",
            Client = stub,
            Retry = Retry.Linear,
            ClientOptions = new ClientOptions { TimeProvider = clock, RateLimiter = limiter },
        };
        var op = new RequestOperation(HttpMethod.Get, "/api/lists") { OperationId = marker };

        var result = await clock.DriveAsync(op.SendAsync(options));

        Assert.True(result.IsRight);
        var requests = Assert.Single(seen, m => m.Instrument == "klaviyo.client.requests");
        Assert.Equal(1, requests.Value);
        Assert.Equal("success", requests.Tags["klaviyo.outcome"]);
        Assert.Equal(200, requests.Tags["http.response.status_code"]);
        Assert.Single(seen, m => m.Instrument == "klaviyo.client.request.duration");
        Assert.Equal(2, seen.Count(m => m.Instrument == "klaviyo.client.retries"));
        Assert.Contains(
            seen,
            m =>
                m.Instrument == "klaviyo.client.retries"
                && Equals(m.Tags["klaviyo.retry.reason"], "429")
        );
        Assert.Single(seen, m => m.Instrument == "klaviyo.client.throttled");
        Assert.Equal(3, seen.Count(m => m.Instrument == "klaviyo.client.rate_limit.wait"));
    }

    [Fact]
    public async Task A_failed_call_is_counted_with_its_outcome()
    {
        var marker = "metrics_" + Guid.NewGuid().ToString("N");
        var (listener, seen) = Listen(marker);
        using var _ = listener;
        var options = new KlaviyoOptions
        {
            ApiKey = "pk_metrics",
            Client = Interpreter.Stub(_ => StubResponse.Status(404, """{"errors":[]}""")),
        };

        await new RequestOperation(HttpMethod.Get, "/api/lists") { OperationId = marker }.SendAsync(
            options
        );

        var requests = Assert.Single(seen, m => m.Instrument == "klaviyo.client.requests");
        Assert.Equal("api_error", requests.Tags["klaviyo.outcome"]);
        Assert.Equal(404, requests.Tags["http.response.status_code"]);
        Assert.DoesNotContain(seen, m => m.Instrument == "klaviyo.client.retries");
    }
}
