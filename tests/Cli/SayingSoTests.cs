using System.Text.Json;
using Xunit;

namespace Klaviyo.Tests.Cli;

/// <summary>What the tool used to accept silently, it now refuses or says out loud.</summary>
public class SayingSoTests
{
    private const string Key = "pk_saying_so_0123456789abcdef";

    [Fact]
    public async Task Format_without_a_dry_run_is_refused_before_anything_is_sent()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(200, """{"data":[]}""")
        );

        var result = await CliProcess.RunAsync(
            ["call", "get_lists", "--format", "http", "--base-url", server.BaseUrl],
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--format sets how a dry run prints the request", result.Stderr);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task Bulk_format_without_a_dry_run_is_refused_too()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(200, """{"data":[]}""")
        );

        var result = await CliProcess.RunAsync(
            [
                "bulk",
                "import-profiles",
                "--file",
                "-",
                "--format",
                "http",
                "--base-url",
                server.BaseUrl,
            ],
            CliProcess.WithKey(Key),
            stdin: "{\"email\":\"a@example.com\"}\n"
        );

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--format sets how a dry run prints the requests", result.Stderr);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task Format_with_a_dry_run_or_without_credentials_prints_that_format()
    {
        var forced = await CliProcess.RunAsync(
            ["call", "get_lists", "--format", "http", "--dry-run"],
            CliProcess.WithKey(Key)
        );
        var implicitDry = await CliProcess.RunAsync("call", "get_lists", "--format", "http");

        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.StartsWith("GET /api/lists HTTP/1.1", forced.Stdout);
        Assert.True(implicitDry.ExitCode == 0, implicitDry.ToString());
        Assert.StartsWith("GET /api/lists HTTP/1.1", implicitDry.Stdout);
    }

    [Fact]
    public async Task The_same_query_parameter_twice_is_refused_naming_both_values()
    {
        var result = await CliProcess.RunAsync(
            "call",
            "get_profiles",
            "-q",
            "page[size]=10",
            "-q",
            "page[size]=20"
        );

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(
            "klaviyo: query parameter 'page[size]' was given twice ('10' and '20'); give it once\n",
            result.Stderr
        );
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task A_repeated_fieldset_is_refused_with_the_comma_separated_form()
    {
        var result = await CliProcess.RunAsync(
            "call",
            "get_profiles",
            "-q",
            "fields[profile]=email",
            "-q",
            "fields[profile]=first_name"
        );

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("'fields[profile]=email,first_name'", result.Stderr);
    }

    [Fact]
    public async Task Max_pages_reached_while_more_remain_says_so_on_standard_error()
    {
        await using var server = await PagingServer.StartAsync(items: 10, pageSize: 2);

        var result = await CliProcess.RunAsync(
            [
                "call",
                "get_profiles",
                "--all-pages",
                "--max-pages",
                "3",
                "--base-url",
                server.BaseUrl,
            ],
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        Assert.Equal(6, doc.RootElement.GetProperty("data").GetArrayLength());
        Assert.Equal(
            "klaviyo: stopped after 3 pages (--max-pages 3); more pages remain\n",
            result.Stderr
        );
    }

    [Fact]
    public async Task Max_pages_that_covers_every_page_says_nothing()
    {
        await using var server = await PagingServer.StartAsync(items: 6, pageSize: 2);

        var result = await CliProcess.RunAsync(
            [
                "call",
                "get_profiles",
                "--all-pages",
                "--max-pages",
                "3",
                "--base-url",
                server.BaseUrl,
            ],
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Stderr);
        using var doc = JsonDocument.Parse(result.Stdout);
        Assert.Equal(6, doc.RootElement.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task A_search_matching_nothing_says_so_and_exits_0()
    {
        var table = await CliProcess.RunAsync("operations", "--search", "zzzz");
        var json = await CliProcess.RunAsync("operations", "--search", "zzzz", "--json");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Equal("", table.Stdout);
        Assert.StartsWith("klaviyo: no operation matches 'zzzz'", table.Stderr);
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal("[]\n", json.Stdout);
        Assert.StartsWith("klaviyo: no operation matches 'zzzz'", json.Stderr);
    }

    [Fact]
    public async Task A_search_with_a_typo_suggests_the_nearest_ids()
    {
        var result = await CliProcess.RunAsync("operations", "--search", "get_profils");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("did you mean get_profile", result.Stderr);
    }
}
