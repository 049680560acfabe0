using Xunit;

namespace Klaviyo.Tests.Fixtures;

/// <summary>The test-suite helper: one fixture per test, the mode from the environment.</summary>
public sealed class TestFixturesTests : IDisposable
{
    private readonly string _folder = Directory
        .CreateTempSubdirectory("klaviyo-testfixtures-")
        .FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Func<string, string?> Env(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [Theory]
    [InlineData(null, null, RecordMode.Once)]
    [InlineData(null, "true", RecordMode.None)]
    [InlineData("replay", null, RecordMode.None)]
    [InlineData("RECORD", "true", RecordMode.All)]
    [InlineData("new", "1", RecordMode.NewEpisodes)]
    [InlineData(" once ", null, RecordMode.Once)]
    public void The_mode_comes_from_KLAVIYO_FIXTURES_and_defaults_to_replay_in_CI(
        string? mode,
        string? ci,
        RecordMode expected
    ) =>
        Assert.Equal(
            expected,
            TestFixtures.Mode(name =>
                name == TestFixtures.ModeVariable ? mode
                : name == "CI" ? ci
                : null
            )
        );

    [Fact]
    public void An_unknown_mode_is_refused_with_the_choices()
    {
        var thrown = Assert.Throws<ArgumentException>(() =>
            TestFixtures.Mode(Env((TestFixtures.ModeVariable, "sometimes")))
        );
        Assert.Contains("replay, record, new or once", thrown.Message);
    }

    [Fact]
    public async Task The_fixture_is_named_after_the_test_beside_its_source_file()
    {
        var testFile = Path.Combine(_folder, "ListTests.cs");
        await using var fixture = TestFixtures.ForThisTest(
            Interpreter.Stub(_ => StubResponse.Status(200, """{"data":[]}""")),
            environment: Env((TestFixtures.ModeVariable, "record")),
            testFile: testFile,
            testName: "Lists_the_first_page"
        );

        Assert.Equal(
            Path.Combine(_folder, "fixtures", "ListTests.Lists_the_first_page.json"),
            fixture.Path
        );
    }

    [Fact]
    public async Task Recorded_locally_then_replayed_in_CI_without_sending()
    {
        var path = Path.Combine(_folder, "fixtures", "lists.json");
        var stub = Interpreter.Stub(_ =>
            StubResponse.Status(200, """{"data":[{"type":"list","id":"L1"}]}""")
        );
        await using (var recording = TestFixtures.At(path, stub, environment: Env()))
        {
            var options = new KlaviyoOptions { ApiKey = "pk_test", Client = recording };
            Assert.True((await Lists.GetLists().SendAsync(options)).IsRight);
        }

        await using var replaying = TestFixtures.At(path, stub, environment: Env(("CI", "true")));
        var replayed = await Lists
            .GetLists()
            .SendAsync(new KlaviyoOptions { ApiKey = "pk_test", Client = replaying });

        Assert.True(replayed.IsRight);
        Assert.Single(stub.Calls);
    }

    [Fact]
    public async Task A_missing_fixture_in_replay_mode_is_a_miss_that_says_how_to_record_it()
    {
        var path = Path.Combine(_folder, "fixtures", "absent.json");
        var stub = Interpreter.Stub(_ => StubResponse.Status(200));
        await using var fixture = TestFixtures.At(path, stub, environment: Env(("CI", "true")));

        var result = await Lists
            .GetLists()
            .SendAsync(new KlaviyoOptions { ApiKey = "pk_test", Client = fixture });

        var miss = Assert.IsType<KlaviyoError.FixtureMiss>(result.Match(_ => null!, e => e));
        Assert.Contains("KLAVIYO_FIXTURES=new", miss.Message);
        Assert.Contains("GET /api/lists", miss.Message);
        Assert.Empty(stub.Calls);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task A_request_the_fixture_lacks_says_how_to_record_it()
    {
        var path = Path.Combine(_folder, "fixtures", "lists.json");
        var stub = Interpreter.Stub(_ => StubResponse.Status(200, """{"data":[]}"""));
        await using (
            var recording = TestFixtures.At(
                path,
                stub,
                environment: Env((TestFixtures.ModeVariable, "record"))
            )
        )
            await Lists
                .GetLists()
                .SendAsync(new KlaviyoOptions { ApiKey = "pk_test", Client = recording });

        await using var replaying = TestFixtures.At(
            path,
            stub,
            environment: Env((TestFixtures.ModeVariable, "replay"))
        );
        var result = await Segments
            .GetSegments()
            .SendAsync(new KlaviyoOptions { ApiKey = "pk_test", Client = replaying });

        var miss = Assert.IsType<KlaviyoError.FixtureMiss>(result.Match(_ => null!, e => e));
        Assert.Contains("KLAVIYO_FIXTURES=new", miss.Message);
    }

    [Fact]
    public void The_api_key_is_a_placeholder_unless_one_is_set() =>
        Assert.Equal(
            ("pk_replaying_no_key_needed", "pk_real"),
            (TestFixtures.ApiKey(Env()), TestFixtures.ApiKey(Env(("KLAVIYO_API_KEY", "pk_real"))))
        );
}
