using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit;

namespace Klaviyo.Tests;

[Collection("Activities")]
public class ActivityTests
{
    [Fact]
    public async Task Each_send_attempt_is_one_Klaviyo_activity_with_method_operation_status_and_attempt()
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
        Assert.Equal(2, mine.Count);
        Assert.All(mine, a => Assert.Equal("get_lists", a.GetTagItem("klaviyo.operation_id")));
        Assert.All(mine, a => Assert.Equal("GET", a.GetTagItem("http.request.method")));
        Assert.All(mine, a => Assert.Equal(ActivityKind.Client, a.Kind));
        Assert.Equal([1, 2], mine.Select(a => (int)a.GetTagItem("klaviyo.attempt")!));
        Assert.Equal([503, 200], mine.Select(a => (int)a.GetTagItem("http.response.status_code")!));
        Assert.Equal(ActivityStatusCode.Error, mine[0].Status);
        Assert.All(
            mine,
            a => Assert.DoesNotContain(a.Tags, t => t.Value?.Contains("pk_activity_secret") == true)
        );
    }
}
