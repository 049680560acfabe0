using System.Text.Json.Nodes;
using Xunit;
using static Klaviyo.Tests.EitherAssert;
using static Klaviyo.Tests.Fixtures.FixtureTestKit;
using static LanguageExt.Prelude;

namespace Klaviyo.Tests.Fixtures;

public sealed class RecordReplayTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static KlaviyoOptions With(LoopbackServer server, IInterpreter client) =>
        server.Options(new KlaviyoOptions { ApiKey = ApiKey, Client = client });

    private static KlaviyoOptions With(IInterpreter client) =>
        new() { ApiKey = ApiKey, Client = client };

    private async Task RecordAsync(string path, params RequestOperation[] ops)
    {
        await using var server = await NumberedServer();
        using var live = Interpreter.Live();
        await using var recorder = Interpreter.Record(live, path);
        foreach (var op in ops)
            Ok(await op.SendAsync(With(server, recorder)));
    }

    [Fact]
    public async Task Records_against_a_real_server_then_replays_the_same_responses_with_the_server_stopped()
    {
        var path = _folder.File();
        var ops = new[]
        {
            Get("/api/profiles", ("page[size]", "2"), ("sort", "-created")),
            PostJson(
                "/api/profiles",
                new { data = new { type = "profile", attributes = new { email = "a@b.com" } } }
            ),
            Get("/api/profiles/p%201"),
        };
        var recorded = new List<KlaviyoResponse>();
        var server = await NumberedServer();
        var port = server.Port;
        using (var live = Interpreter.Live())
        await using (var recorder = Interpreter.Record(live, path))
        {
            Assert.True(recorder.IsRecording);
            foreach (var op in ops)
                recorded.Add(Ok(await op.SendAsync(With(server, recorder))));
        }
        Assert.Equal(3, server.Count);
        await server.DisposeAsync();

        var replay = Interpreter.Replay(path);
        var options = new KlaviyoOptions
        {
            ApiKey = ApiKey,
            Client = replay,
            Protocol = "http",
            Host = "127.0.0.1",
            Port = port,
        };
        var replayed = new List<KlaviyoResponse>();
        foreach (var op in ops)
            replayed.Add(Ok(await op.SendAsync(options)));

        Assert.Equal(3, replay.Count);
        for (var i = 0; i < ops.Length; i++)
        {
            Assert.Equal(recorded[i].StatusCode, replayed[i].StatusCode);
            Assert.Equal(Call(recorded[i]), Call(replayed[i]));
            Assert.True(
                SameJson(recorded[i], replayed[i]),
                $"{recorded[i].Body} vs {replayed[i].Body}"
            );
        }
    }

    [Fact]
    public async Task Replays_against_any_host_because_matching_ignores_scheme_host_and_port()
    {
        var path = _folder.File();
        await RecordAsync(path, Get("/api/lists"));

        var response = Ok(await Get("/api/lists").SendAsync(With(Interpreter.Replay(path))));

        Assert.Equal("1", Call(response));
    }

    [Fact]
    public async Task Once_records_when_the_file_is_missing_and_afterwards_only_replays()
    {
        var path = _folder.File();
        await using var server = await NumberedServer();
        using var live = Interpreter.Live();

        await using (var first = Interpreter.Record(live, path, RecordMode.Once))
        {
            Assert.True(first.IsRecording);
            Ok(await Get("/api/lists").SendAsync(With(server, first)));
            Assert.False(File.Exists(path));
        }
        Assert.True(File.Exists(path));

        await using var second = Interpreter.Record(live, path, RecordMode.Once);
        var known = Ok(await Get("/api/lists").SendAsync(With(server, second)));
        var unknown = Err(await Get("/api/segments").SendAsync(With(server, second)));

        Assert.False(second.IsRecording);
        Assert.Equal("1", Call(known));
        Assert.IsType<KlaviyoError.FixtureMiss>(unknown);
        Assert.Contains("no recorded interaction matches GET /api/segments", unknown.Message);
        Assert.Equal(0, unknown.Attempts);
        Assert.Equal(1, server.Count);
    }

    [Fact]
    public async Task NewEpisodes_replays_known_requests_and_records_new_ones_after_them()
    {
        var path = _folder.File();
        await RecordAsync(path, Get("/api/lists"));
        await using var server = await NumberedServer();
        using var live = Interpreter.Live();

        await using (var recorder = Interpreter.Record(live, path, RecordMode.NewEpisodes))
        {
            var known = Ok(await Get("/api/lists").SendAsync(With(server, recorder)));
            var fresh = Ok(await Get("/api/segments").SendAsync(With(server, recorder)));
            Assert.Equal("1", Call(known));
            Assert.Equal("1", Call(fresh));
            Assert.Equal(2, recorder.Count);
        }

        Assert.Single(server.Received);
        Assert.Equal("/api/segments", server.Received[0].Path);
        var urls = ReadFixture(path)
            .GetProperty("interactions")
            .EnumerateArray()
            .Select(i =>
                new Uri(i.GetProperty("request").GetProperty("url").GetString()!).AbsolutePath
            )
            .ToArray();
        Assert.Equal(new[] { "/api/lists", "/api/segments" }, urls);
    }

    [Fact]
    public async Task None_never_sends_and_a_new_request_is_an_error()
    {
        var path = _folder.File();
        await RecordAsync(path, Get("/api/lists"));
        await using var server = await NumberedServer();
        using var live = Interpreter.Live();
        await using var recorder = Interpreter.Record(live, path, RecordMode.None);

        var known = Ok(await Get("/api/lists").SendAsync(With(server, recorder)));
        var unknown = await Get("/api/segments").SendAsync(With(server, recorder));

        Assert.Equal("1", Call(known));
        Assert.True(unknown.IsLeft);
        Assert.Empty(server.Received);
    }

    [Fact]
    public void None_and_Replay_refuse_a_missing_fixture()
    {
        var path = _folder.File("missing.json");

        Assert.Throws<FileNotFoundException>(() => Interpreter.Replay(path));
        Assert.Throws<FileNotFoundException>(() =>
            Interpreter.Record(new FunctionInterpreter(_ => Json(200, "{}")), path, RecordMode.None)
        );
    }

    [Fact]
    public async Task All_sends_every_request_and_rewrites_the_file_with_this_run_only()
    {
        var path = _folder.File();
        await RecordAsync(path, Get("/api/lists"), Get("/api/segments"));
        await using var server = await NumberedServer();
        using var live = Interpreter.Live();

        await using (var recorder = Interpreter.Record(live, path, RecordMode.All))
        {
            Ok(await Get("/api/flows").SendAsync(With(server, recorder)));
            Ok(await Get("/api/lists").SendAsync(With(server, recorder)));
        }

        Assert.Equal(2, server.Count);
        var replay = Interpreter.Replay(path);
        Assert.Equal(2, replay.Count);
        Assert.Equal("2", Call(Ok(await Get("/api/lists").SendAsync(With(replay)))));
        Assert.True((await Get("/api/segments").SendAsync(With(replay))).IsLeft);
    }

    [Fact]
    public async Task Matches_the_query_regardless_of_parameter_order()
    {
        var path = _folder.File();
        await RecordAsync(
            path,
            Get("/api/events", ("filter", "equals(x,1)"), ("page[size]", "5"), ("sort", "datetime"))
        );

        var response = await Get(
                "/api/events",
                ("sort", "datetime"),
                ("page[size]", "5"),
                ("filter", "equals(x,1)")
            )
            .SendAsync(With(Interpreter.Replay(path)));
        var otherValue = await Get(
                "/api/events",
                ("sort", "datetime"),
                ("page[size]", "6"),
                ("filter", "equals(x,1)")
            )
            .SendAsync(With(Interpreter.Replay(path)));

        Assert.Equal("1", Call(Ok(response)));
        Assert.True(otherValue.IsLeft);
    }

    [Fact]
    public async Task Plays_repeated_requests_back_in_recorded_order_then_refuses_more()
    {
        var path = _folder.File();
        await RecordAsync(path, Get("/api/lists"), Get("/api/lists"), Get("/api/lists"));
        var options = With(Interpreter.Replay(path));

        var calls = new List<string>();
        for (var i = 0; i < 3; i++)
            calls.Add(Call(Ok(await Get("/api/lists").SendAsync(options))));
        var fourth = Err(await Get("/api/lists").SendAsync(options));

        Assert.Equal(new[] { "1", "2", "3" }, calls);
        Assert.Contains(
            "every recorded interaction matching GET /api/lists was already played (3 recorded)",
            fourth.Message
        );
        Assert.Contains("AllowPlaybackRepeats", fourth.Message);
    }

    [Fact]
    public async Task Repeats_the_last_answer_when_playback_repeats_are_allowed()
    {
        var path = _folder.File();
        await RecordAsync(path, Get("/api/lists"), Get("/api/lists"));
        var options = With(
            Interpreter.Replay(path, new FixtureOptions { AllowPlaybackRepeats = true })
        );

        var calls = new List<string>();
        for (var i = 0; i < 4; i++)
            calls.Add(Call(Ok(await Get("/api/lists").SendAsync(options))));

        Assert.Equal(new[] { "1", "2", "2", "2" }, calls);
    }

    [Fact]
    public async Task An_unmatched_request_names_itself_and_the_nearest_recorded_ones()
    {
        var path = _folder.File();
        await RecordAsync(
            path,
            Get("/api/profiles", ("page[size]", "2")),
            Get("/api/profiles/abc"),
            PostJson("/api/lists", new { data = new { type = "list" } })
        );
        var replay = Interpreter.Replay(path);

        var samePath = Err(await Get("/api/profiles", ("page[size]", "5")).SendAsync(With(replay)));
        var closeName = Err(await PostJson("/api/list", new { }).SendAsync(With(replay)));

        Assert.Equal(
            "no recorded interaction matches GET /api/profiles?page%5Bsize%5D=5; "
                + $"nearest recorded: GET /api/profiles?page%5Bsize%5D=2 (fixture '{path}'); "
                + "record the fixture again to add it (RecordMode.NewEpisodes keeps what is there)",
            samePath.Message
        );
        Assert.StartsWith(
            "no recorded interaction matches POST /api/list; nearest recorded: POST /api/lists (",
            closeName.Message
        );
    }

    [Fact]
    public async Task An_unmatched_request_message_never_shows_a_secret()
    {
        var path = _folder.File();
        await RecordAsync(path, Get("/api/profiles"));
        const string secret = "sec_QUERYTOKEN_5e6f7a";
        var op = Get("/api/profiles", ("token", secret)) with { Secrets = Seq1(Secret.Of(secret)) };

        var error = Err(await op.SendAsync(With(Interpreter.Replay(path))));

        Assert.DoesNotContain(secret, error.Message);
        Assert.Contains("token=%5BREDACTED%5D", error.Message);
    }

    [Fact]
    public async Task Ignores_the_body_unless_body_matching_is_on_and_then_compares_JSON_semantically()
    {
        var path = _folder.File();
        var recordedBody = JsonNode.Parse(
            """{"data":{"type":"profile","attributes":{"email":"a@b.com","n":1}}}"""
        );
        var reordered = JsonNode.Parse(
            """{"data":{"attributes":{"n":1,"email":"a@b.com"},"type":"profile"}}"""
        );
        var different = JsonNode.Parse(
            """{"data":{"type":"profile","attributes":{"email":"z@b.com","n":1}}}"""
        );
        await RecordAsync(path, PostJson("/api/profiles", recordedBody!));
        var matchBody = new FixtureOptions { MatchBody = true };

        var byDefault = await PostJson("/api/profiles", different!)
            .SendAsync(With(Interpreter.Replay(path)));
        var sameMeaning = await PostJson("/api/profiles", reordered!)
            .SendAsync(With(Interpreter.Replay(path, matchBody)));
        var otherBody = Err(
            await PostJson("/api/profiles", different!)
                .SendAsync(With(Interpreter.Replay(path, matchBody)))
        );

        Assert.Equal("1", Call(Ok(byDefault)));
        Assert.Equal("1", Call(Ok(sameMeaning)));
        Assert.Contains(
            "nearest recorded: POST /api/profiles (with another body)",
            otherBody.Message
        );
    }

    [Fact]
    public async Task Records_32_concurrent_requests_into_one_valid_fixture()
    {
        var path = _folder.File();
        await using var server = await NumberedServer();
        using var live = Interpreter.Live();

        await using (var recorder = Interpreter.Record(live, path))
        {
            var options = With(server, recorder);
            await Task.WhenAll(
                Enumerable
                    .Range(0, 32)
                    .Select(i =>
                        Task.Run(async () => Ok(await Get($"/api/items/{i}").SendAsync(options)))
                    )
            );
        }

        var paths = ReadFixture(path)
            .GetProperty("interactions")
            .EnumerateArray()
            .Select(i =>
                new Uri(i.GetProperty("request").GetProperty("url").GetString()!).AbsolutePath
            )
            .Order()
            .ToArray();
        Assert.Equal(
            Enumerable.Range(0, 32).Select(i => $"/api/items/{i}").Order().ToArray(),
            paths
        );
        var replay = Interpreter.Replay(path);
        var replayed = await Task.WhenAll(
            Enumerable
                .Range(0, 32)
                .Select(i =>
                    Task.Run(async () => Ok(await Get($"/api/items/{i}").SendAsync(With(replay))))
                )
        );
        Assert.Equal(32, replayed.Select(Call).Distinct().Count());
    }

    [Fact]
    public async Task Writes_nothing_when_nothing_was_recorded()
    {
        var path = _folder.File();

        await using (Interpreter.Record(new FunctionInterpreter(_ => Json(200, "{}")), path)) { }

        Assert.Empty(_folder.Entries());
    }

    [Fact]
    public async Task Save_writes_now_and_leaves_no_temporary_file()
    {
        var path = _folder.File();
        var inner = new FunctionInterpreter(_ => Json(200, """{"data":[]}"""));
        await using var recorder = Interpreter.Record(inner, path);

        Ok(await Get("/api/lists").SendAsync(With(recorder)));
        await recorder.SaveAsync();

        Assert.Equal(new[] { "fixture.json" }, _folder.Entries());
        Assert.Equal(1, ReadFixture(path).GetProperty("interactions").GetArrayLength());
    }

    [Fact]
    public void A_failing_write_leaves_the_previous_file_intact_and_no_temporary_file()
    {
        var path = _folder.File();
        File.WriteAllText(path, "previous content");

        var thrown = Assert.Throws<InvalidOperationException>(() =>
            FixtureStorage.WriteAtomically(
                path,
                stream =>
                {
                    stream.Write("{\"version\": 1, \"interactions\": ["u8);
                    throw new InvalidOperationException("serializer failed");
                }
            )
        );

        Assert.Equal("serializer failed", thrown.Message);
        Assert.Equal("previous content", File.ReadAllText(path));
        Assert.Equal(new[] { "fixture.json" }, _folder.Entries());
    }

    [Fact]
    public void A_malformed_fixture_is_refused_with_its_path()
    {
        var path = _folder.File();
        File.WriteAllText(path, """{"version": 1, "interactions": [ {"request": {}} ]}""");
        var notJson = _folder.File("broken.json");
        File.WriteAllText(notJson, "{ nope");
        var future = _folder.File("future.json");
        File.WriteAllText(future, """{"version": 2, "interactions": []}""");

        var e1 = Assert.Throws<InvalidDataException>(() => Interpreter.Replay(path));
        var e2 = Assert.Throws<InvalidDataException>(() => Interpreter.Replay(notJson));
        var e3 = Assert.Throws<InvalidDataException>(() => Interpreter.Replay(future));

        Assert.Contains("interaction 0 needs request.method", e1.Message);
        Assert.Contains(notJson, e2.Message);
        Assert.Contains("version 2 is not supported", e3.Message);
    }

    [Fact]
    public async Task A_disposed_recorder_answers_with_an_error()
    {
        var recorder = Interpreter.Record(
            new FunctionInterpreter(_ => Json(200, "{}")),
            _folder.File()
        );
        recorder.Dispose();

        var error = Err(await Get("/api/lists").SendAsync(With(recorder)));

        Assert.Contains("was disposed", error.Message);
    }
}
