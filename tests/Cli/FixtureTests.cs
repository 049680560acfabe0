using Xunit;

namespace Klaviyo.Tests.Cli;

/// <summary><c>--record</c> then <c>--replay</c>: the second run needs neither the server nor a key.</summary>
public class FixtureTests
{
    private const string Key = "pk_record_secret_77";

    [Fact]
    public async Task Record_then_replay_with_the_server_stopped_prints_the_same_output()
    {
        using var temp = new TempFolder();
        var fixture = temp.File("profiles.json");
        string baseUrl;
        CliResult recorded;
        await using (var server = await PagingServer.StartAsync(items: 5, pageSize: 2))
        {
            baseUrl = server.BaseUrl;
            recorded = await CliProcess.RunAsync(
                ["call", "get_profiles", "--all-pages", "--base-url", baseUrl, "--record", fixture],
                CliProcess.WithKey(Key)
            );
            Assert.Equal(3, server.Count);
        }
        Assert.True(recorded.ExitCode == 0, recorded.ToString());
        Assert.True(File.Exists(fixture));
        Assert.DoesNotContain(Key, await File.ReadAllTextAsync(fixture));

        var replayed = await CliProcess.RunAsync(
            "call",
            "get_profiles",
            "--all-pages",
            "--base-url",
            baseUrl,
            "--replay",
            fixture
        );

        Assert.True(replayed.ExitCode == 0, replayed.ToString());
        Assert.Equal(recorded.Stdout, replayed.Stdout);
        Assert.Contains("\"p4\"", replayed.Stdout);
        Assert.Equal("", replayed.Stderr);
    }

    [Fact]
    public async Task Replay_of_a_request_the_fixture_lacks_exits_3()
    {
        using var temp = new TempFolder();
        var fixture = temp.File("one.json");
        string baseUrl;
        await using (
            var server = await LoopbackServer.StartAsync(
                LoopbackServer.Respond(200, """{"data":[]}""")
            )
        )
        {
            baseUrl = server.BaseUrl;
            var recorded = await CliProcess.RunAsync(
                ["call", "get_lists", "--base-url", baseUrl, "--record", fixture],
                CliProcess.WithKey(Key)
            );
            Assert.True(recorded.ExitCode == 0, recorded.ToString());
        }

        var replayed = await CliProcess.RunAsync(
            "call",
            "get_lists",
            "--query",
            "page[cursor]=x",
            "--base-url",
            baseUrl,
            "--replay",
            fixture
        );

        Assert.True(replayed.ExitCode == 3, replayed.ToString());
        Assert.StartsWith(
            "klaviyo: no recorded interaction matches GET /api/lists?page%5Bcursor%5D=x",
            replayed.Stderr
        );
        Assert.Contains("record the fixture again with --record", replayed.Stderr);
    }

    [Fact]
    public async Task Replay_of_a_missing_fixture_exits_2()
    {
        using var temp = new TempFolder();

        var result = await CliProcess.RunAsync(
            "call",
            "get_lists",
            "--replay",
            temp.File("absent.json")
        );

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("does not exist", result.Stderr);
    }
}
