using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit;

namespace Klaviyo.Tests;

[Collection("Activities")]
public class ActivityTests
{
    [Fact]
    public async Task Each_call_is_one_Klaviyo_activity_with_method_operation_status_resend_count_and_a_retry_event()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == KlaviyoDiagnostics.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) =>
                ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var calls = 0;
        await using var server = await LoopbackServer.StartAsync(
            (ctx, req) =>
                Interlocked.Increment(ref calls) == 1
                    ? LoopbackServer.Respond(503, """{"errors":[]}""")(ctx, req)
                    : LoopbackServer.Respond(200, """{"data":[]}""")(ctx, req)
        );
        var marker = Guid.NewGuid().ToString("N");
        var op = Lists.GetLists(filter: null) with
        {
            Headers = LanguageExt.Prelude.Seq1(("x-marker", marker)),
        };
        var options = server.Options(
            new KlaviyoOptions { ApiKey = "pk_activity_secret", Retry = Retry.Linear }
        );

        var result = await op.SendAsync(options);

        Assert.True(result.IsRight, result.ToString());
        var mine = activities
            .Where(a => a.GetTagItem("url.full") is string u && u.Contains($":{server.Port}/"))
            .ToList();
        var call = Assert.Single(mine);
        Assert.Equal("get_lists", call.GetTagItem("klaviyo.operation_id"));
        Assert.Equal("GET", call.GetTagItem("http.request.method"));
        Assert.Equal(ActivityKind.Client, call.Kind);
        Assert.Equal(200, (int)call.GetTagItem("http.response.status_code")!);
        Assert.Equal(1, (int)call.GetTagItem("http.request.resend_count")!);
        var retry = Assert.Single(call.Events, e => e.Name == "klaviyo.retry");
        Assert.Contains(
            retry.Tags,
            t => t.Key == "klaviyo.retry.reason" && (string)t.Value! == "503"
        );
        Assert.Equal(ActivityStatusCode.Unset, call.Status);
        Assert.All(
            mine,
            a => Assert.DoesNotContain(a.Tags, t => t.Value?.Contains("pk_activity_secret") == true)
        );
    }
}
