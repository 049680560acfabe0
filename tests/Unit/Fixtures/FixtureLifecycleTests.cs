using System.Reflection;
using System.Text;
using LanguageExt;
using Microsoft.AspNetCore.Http;
using Xunit;
using static Klaviyo.Tests.EitherAssert;
using static Klaviyo.Tests.Fixtures.FixtureTestKit;
using static Klaviyo.Tests.TestOptions;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests.Fixtures;

/// <summary>
/// Fixtures as typed interactions with a separate recorder and replayer: replay gives back the recorded bytes, a miss
/// is its own error, nothing touches the disk before a save, no process-exit hook, recorders sharing a file lose
/// nothing, and a crashed save's temporary file is cleaned up.
/// </summary>
public sealed class FixtureLifecycleTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, string> Bodies =>
        new()
        {
            { "extra whitespace", "{ \"data\" : [ 1,  2 ,3 ],\n  \"links\": {\"next\": null} }\n" },
            { "escaped characters", """{"name":"caf\u00e9 \u0041\/b","emoji":"\ud83d\ude00"}""" },
            { "keys in server order", """{"z":1,"a":{"y":true,"b":null},"m":[{"k":"v"}]}""" },
            { "numbers as written", """{"n":1.0,"e":1E+2,"big":123456789012345678901234567890}""" },
            { "compact", """{"data":{"type":"profile","id":"01ABC"}}""" },
        };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Replay_answers_the_recorded_body_byte_for_byte(string kind, string body)
    {
        var sent = Encoding.UTF8.GetBytes(body);
        await using var server = await LoopbackServer.StartAsync(
            async (ctx, _) =>
            {
                ctx.Response.ContentType = "application/vnd.api+json";
                await ctx.Response.Body.WriteAsync(sent);
            }
        );
        var path = _folder.File();
        using var live = Interpreter.Live();
        var request = Ok(Get("/api/things").Build(server.Options(With(live))));
        RawResponse recorded;
        await using (var recorder = Interpreter.Record(live, path, RecordMode.All))
            recorded = Ok(await recorder.ExecuteAsync(request, CancellationToken.None));

        var replayed = Ok(
            await Interpreter.Replay(path).ExecuteAsync(request, CancellationToken.None)
        );

        Assert.True(sent.AsSpan().SequenceEqual(recorded.Body.Span), kind);
        Assert.True(
            sent.AsSpan().SequenceEqual(replayed.Body.Span),
            $"{kind}: replayed {Encoding.UTF8.GetString(replayed.Body.Span)}"
        );
    }

    [Fact]
    public async Task A_replay_miss_is_a_FixtureMiss_naming_the_request_and_the_nearest_with_nothing_sent()
    {
        var path = _folder.File();
        var inner = new FunctionInterpreter(_ => Json(200, """{"data":[]}"""));
        await using (var recorder = Interpreter.Record(inner, path))
        {
            Ok(await Get("/api/profiles", ("page[size]", "2")).SendAsync(With(recorder)));
            Ok(await Get("/api/lists").SendAsync(With(recorder)));
        }
        // Retry is on: a miss is not worth sending again.
        var options = With(Interpreter.Replay(path)) with
        {
            Retry = Retry.Linear,
        };

        var error = Err(await Get("/api/profiles", ("page[size]", "5")).SendAsync(options));

        var miss = Assert.IsType<KlaviyoError.FixtureMiss>(error);
        Assert.Equal(0, miss.Attempts);
        Assert.False(miss.IsRetryable);
        Assert.Equal("GET /api/profiles?page%5Bsize%5D=5", miss.Request);
        Assert.Equal(Seq1("GET /api/profiles?page%5Bsize%5D=2"), miss.Nearest);
        Assert.Equal(path, miss.Fixture);
        Assert.Contains("GET /api/profiles?page%5Bsize%5D=5", miss.Message);
        Assert.Contains("nearest recorded: GET /api/profiles?page%5Bsize%5D=2", miss.Message);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task Every_answer_played_is_a_FixtureMiss_saying_how_many_were_recorded()
    {
        var path = _folder.File();
        await using (
            var recorder = Interpreter.Record(new FunctionInterpreter(_ => Json(200, "{}")), path)
        )
            Ok(await Get("/api/lists").SendAsync(With(recorder)));
        var options = With(Interpreter.Replay(path));
        Ok(await Get("/api/lists").SendAsync(options));

        var miss = Assert.IsType<KlaviyoError.FixtureMiss>(
            Err(await Get("/api/lists").SendAsync(options))
        );

        Assert.Equal(1, miss.PlayedAll);
        Assert.Equal(0, miss.Attempts);
        Assert.Contains("already played (1 recorded)", miss.Message);
    }

    [Fact]
    public async Task The_recorder_writes_nothing_until_it_is_saved_or_disposed()
    {
        var path = _folder.File();
        var recorder = Interpreter.Record(new FunctionInterpreter(_ => Json(200, "{}")), path);

        Ok(await Get("/api/lists").SendAsync(With(recorder)));
        Ok(await Get("/api/profiles").SendAsync(With(recorder)));

        Assert.Empty(_folder.Entries());
        Assert.Equal(2, recorder.Count);
        await recorder.SaveAsync();
        Assert.Equal(["fixture.json"], _folder.Entries());
        Assert.Equal(2, ReadFixture(path).GetProperty("interactions").GetArrayLength());
        await recorder.DisposeAsync();
    }

    [Fact]
    public async Task A_recorder_never_disposed_leaves_no_file_and_no_process_exit_hook()
    {
        // The probe sees a handler when there is one.
        EventHandler probe = (_, _) => { };
        AppDomain.CurrentDomain.ProcessExit += probe;
        Assert.Contains(probe.Method, ProcessExitHandlers());
        AppDomain.CurrentDomain.ProcessExit -= probe;
        var before = ProcessExitHandlers();
        var path = _folder.File();
        var standalone = FixtureRecorder.Create(
            Path.Combine(_folder.Root, "sub", "standalone.json")
        );
        var recorder = Interpreter.Record(new FunctionInterpreter(_ => Json(200, "{}")), path);
        Ok(await Get("/api/lists").SendAsync(With(recorder)));
        standalone.Add(
            Ok(Get("/api/lists").Build(new KlaviyoOptions { ApiKey = TestOptions.ApiKey })),
            Json(200, "{}")
        );

        Assert.Empty(_folder.Entries());
        var added = ProcessExitHandlers().Except(before).ToArray();
        Assert.DoesNotContain(
            added,
            m => m.DeclaringType?.Assembly == typeof(FixtureRecorder).Assembly
        );
        Assert.DoesNotContain(
            ProcessExitHandlers(),
            m =>
                m.DeclaringType?.Assembly.GetName()
                    .Name?.StartsWith("Klaviyo.", StringComparison.Ordinal) == true
                && m.DeclaringType.Assembly.GetName()
                    .Name?.StartsWith("Klaviyo.Tests", StringComparison.Ordinal) != true
        );
        GC.KeepAlive(recorder);
        GC.KeepAlive(standalone);
    }

    /// <summary>The methods subscribed to <see cref="AppDomain.ProcessExit"/> (the event's backing field).</summary>
    private static MethodInfo[] ProcessExitHandlers()
    {
        const BindingFlags any = BindingFlags.NonPublic | BindingFlags.Public;
        var onDomain = typeof(AppDomain).GetField("ProcessExit", any | BindingFlags.Instance);
        var onContext = typeof(AppContext).GetField("ProcessExit", any | BindingFlags.Static);
        Assert.True(
            onDomain is not null || onContext is not null,
            "cannot find where ProcessExit handlers live"
        );
        var handlers = (Delegate?)(
            onDomain?.GetValue(AppDomain.CurrentDomain) ?? onContext?.GetValue(null)
        );
        return handlers?.GetInvocationList().Select(d => d.Method).ToArray() ?? [];
    }

    [Fact]
    public async Task Two_recorders_on_one_file_in_one_process_both_keep_their_interactions()
    {
        var path = _folder.File();
        var inner = new FunctionInterpreter(request =>
            Json(200, $$"""{"path":"{{request.Path}}"}""")
        );
        var first = Interpreter.Record(inner, path);
        var second = Interpreter.Record(inner, path);

        Ok(await Get("/api/first").SendAsync(With(first)));
        Ok(await Get("/api/second").SendAsync(With(second)));
        await first.DisposeAsync();
        await second.DisposeAsync();

        var urls = ReadFixture(path)
            .GetProperty("interactions")
            .EnumerateArray()
            .Select(i => i.GetProperty("request").GetProperty("url").GetString())
            .ToArray();
        Assert.Equal(2, urls.Length);
        Assert.Contains(urls, u => u!.EndsWith("/api/first", StringComparison.Ordinal));
        Assert.Contains(urls, u => u!.EndsWith("/api/second", StringComparison.Ordinal));
        var replay = With(Interpreter.Replay(path));
        Ok(await Get("/api/first").SendAsync(replay));
        Ok(await Get("/api/second").SendAsync(replay));
    }

    [Fact]
    public async Task Two_recorders_saving_at_once_lose_nothing()
    {
        var path = _folder.File();
        var inner = new FunctionInterpreter(_ => Json(200, "{}"));
        var recorders = Enumerable
            .Range(0, 4)
            .Select(_ => Interpreter.Record(inner, path))
            .ToArray();
        for (var i = 0; i < recorders.Length; i++)
            Ok(await Get($"/api/items/{i}").SendAsync(With(recorders[i])));

        await Task.WhenAll(recorders.Select(r => Task.Run(async () => await r.DisposeAsync())));

        Assert.Equal(4, ReadFixture(path).GetProperty("interactions").GetArrayLength());
    }

    [Theory]
    [InlineData("replay")]
    [InlineData("record")]
    public async Task A_temporary_file_left_by_a_crashed_save_is_removed_when_the_fixture_is_opened_next(
        string open
    )
    {
        var path = _folder.File();
        await using (
            var recorder = Interpreter.Record(new FunctionInterpreter(_ => Json(200, "{}")), path)
        )
            Ok(await Get("/api/lists").SendAsync(With(recorder)));
        var orphan = _folder.File($".fixture.json.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(orphan, "{\"version\":1,\"interac");
        var unrelated = _folder.File($".other.json.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(unrelated, "not ours");

        IInterpreter opened =
            open == "replay"
                ? Interpreter.Replay(path)
                : Interpreter.Record(
                    new FunctionInterpreter(_ => Json(200, "{}")),
                    path,
                    RecordMode.NewEpisodes
                );

        Assert.False(File.Exists(orphan));
        Assert.True(File.Exists(unrelated));
        Ok(await Get("/api/lists").SendAsync(With(opened)));
        if (opened is IAsyncDisposable disposable)
            await disposable.DisposeAsync();
    }
}
