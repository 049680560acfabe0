using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Klaviyo.Tests.Cli;

/// <summary>
/// Issue 11 #19: text from the network never reaches the terminal raw. A server cannot clear the screen, move the
/// cursor, reorder text with bidi overrides, or forge a second <c>klaviyo:</c> line: control characters (C0, DEL,
/// C1), bidi controls and line separators in what the tool prints are escaped, as <c>\u001b</c>, <c>\n</c> and the
/// like. JSON output stays valid JSON with the same values.
/// </summary>
public class HostileTextTests
{
    private const string Key = "pk_hostile_text_0123456789";

    /// <summary>Clears the screen, then starts a fake line of our own; reverses text; rings the bell; a C1 CSI.</summary>
    private const string Hostile =
        "\u001b[2J\nklaviyo: forged\r\u202eevil\u2066\u0007\u009b31m\u007f\u2028end";

    private static readonly char[] Dangerous =
    [
        '\u001b',
        '\r',
        '\u0007',
        '\u009b',
        '\u007f',
        '\u202e',
        '\u2066',
        '\u2028',
    ];

    private static string JsonString(string s) => JsonSerializer.Serialize(s);

    private static void AssertNothingDangerous(CliResult result)
    {
        foreach (var c in Dangerous)
        {
            Assert.True(result.Stdout.IndexOf(c) < 0, $"U+{(int)c:X4} on stdout:\n{result}");
            Assert.True(result.Stderr.IndexOf(c) < 0, $"U+{(int)c:X4} on stderr:\n{result}");
        }
        var ours = result
            .Stderr.Split('\n')
            .Count(l => l.StartsWith("klaviyo:", StringComparison.Ordinal));
        Assert.True(ours <= 1, $"{ours} lines start with 'klaviyo:':\n{result}");
    }

    private static Func<HttpContext, ReceivedRequest, Task> Answer(
        int status,
        string contentType,
        byte[] body
    ) =>
        async (ctx, _) =>
        {
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = contentType;
            await ctx.Response.Body.WriteAsync(body);
        };

    private static Task<CliResult> CallAsync(LoopbackServer server, params string[] more) =>
        CliProcess.RunAsync(
            new[] { "call", "get_profiles", "--base-url", server.BaseUrl }.Concat(more),
            CliProcess.WithKey(Key)
        );

    [Fact]
    public async Task An_error_detail_with_escape_sequences_and_a_newline_is_one_escaped_line()
    {
        var body =
            """{"errors":[{"code":"invalid","title":"Bad","detail":"""
            + JsonString(Hostile)
            + "}]}";
        await using var server = await LoopbackServer.StartAsync(
            Answer(400, "application/vnd.api+json", Encoding.UTF8.GetBytes(body))
        );

        var result = await CallAsync(server);

        Assert.True(result.ExitCode == 1, result.ToString());
        AssertNothingDangerous(result);
        var first = result.Stderr.Split('\n')[0];
        Assert.Equal(
            @"klaviyo: Klaviyo answered 400 Bad Request: invalid: Bad: \u001b[2J\nklaviyo: forged\r\u202eevil\u2066\u0007\u009b31m\u007f\u2028end",
            first
        );
        // The error document follows as JSON with the same value, escaped by JSON's own rules.
        using var printed = JsonDocument.Parse(result.Stderr[(first.Length + 1)..]);
        Assert.Equal(
            Hostile,
            printed.RootElement.GetProperty("errors")[0].GetProperty("detail").GetString()
        );
    }

    [Fact]
    public async Task A_text_error_body_is_printed_on_one_escaped_line()
    {
        await using var server = await LoopbackServer.StartAsync(
            Answer(502, "text/plain", Encoding.UTF8.GetBytes("bad gateway" + Hostile + "\n"))
        );

        var result = await CallAsync(server);

        Assert.True(result.ExitCode == 1, result.ToString());
        AssertNothingDangerous(result);
        var lines = result.Stderr.Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("klaviyo: Klaviyo answered 502 Bad Gateway", lines[0]);
        Assert.Equal(
            @"bad gateway\u001b[2J\nklaviyo: forged\r\u202eevil\u2066\u0007\u009b31m\u007f\u2028end\n",
            lines[1]
        );
        Assert.Equal("", lines[2]);
    }

    [Fact]
    public async Task A_success_body_keeps_its_values_with_bidi_controls_escaped()
    {
        var body =
            """{"data":{"type":"profile","id":"p1","attributes":{"first_name":"""
            + JsonString(Hostile)
            + "}}}";
        await using var server = await LoopbackServer.StartAsync(
            Answer(200, "application/vnd.api+json", Encoding.UTF8.GetBytes(body))
        );

        var result = await CallAsync(server);

        Assert.True(result.ExitCode == 0, result.ToString());
        AssertNothingDangerous(result);
        Assert.Contains(@"\u202E", result.Stdout, StringComparison.OrdinalIgnoreCase);
        using var printed = JsonDocument.Parse(result.Stdout);
        Assert.Equal(
            Hostile,
            printed
                .RootElement.GetProperty("data")
                .GetProperty("attributes")
                .GetProperty("first_name")
                .GetString()
        );
    }

    [Fact]
    public async Task Every_page_of_all_pages_is_written_with_bidi_controls_escaped()
    {
        LoopbackServer? self = null;
        await using var server = await LoopbackServer.StartAsync(
            async (ctx, _) =>
            {
                var second = ctx.Request.Query.ContainsKey("page[cursor]");
                var next = second
                    ? "null"
                    : JsonString($"http://127.0.0.1:{self!.Port}/api/profiles?page%5Bcursor%5D=2");
                var body =
                    """{"data":[{"type":"profile","id":"""
                    + JsonString(Hostile)
                    + """}],"links":{"next":"""
                    + next
                    + "}}";
                ctx.Response.ContentType = "application/vnd.api+json";
                await ctx.Response.WriteAsync(body);
            }
        );
        self = server;

        var result = await CallAsync(server, "--all-pages");

        Assert.True(result.ExitCode == 0, result.ToString());
        AssertNothingDangerous(result);
        using var printed = JsonDocument.Parse(result.Stdout);
        Assert.All(
            printed.RootElement.GetProperty("data").EnumerateArray(),
            item => Assert.Equal(Hostile, item.GetProperty("id").GetString())
        );
    }

    [Fact]
    public async Task A_links_next_that_is_not_a_URL_is_refused_on_one_escaped_line()
    {
        var next = "x\u001b[2J\nklaviyo: forged \u202e";
        var body = """{"data":[],"links":{"next":""" + JsonString(next) + "}}";
        await using var server = await LoopbackServer.StartAsync(
            Answer(200, "application/vnd.api+json", Encoding.UTF8.GetBytes(body))
        );

        var result = await CallAsync(server, "--all-pages");

        Assert.True(result.ExitCode == 2, result.ToString());
        AssertNothingDangerous(result);
    }

    [Fact]
    public async Task A_body_with_a_lone_surrogate_or_invalid_UTF8_prints_instead_of_crashing()
    {
        // "\ud800" in an error detail and in a key, and a byte that is not UTF-8 in the title.
        var body = Encoding
            .ASCII.GetBytes(
                """{"errors":[{"code":"invalid","title":"Bad?","detail":"x\ud800y","\udc00":1}]}"""
            )
            .ToArray();
        body[Array.IndexOf(body, (byte)'?')] = 0xFF;
        await using var server = await LoopbackServer.StartAsync(
            Answer(400, "application/vnd.api+json", body)
        );

        var result = await CallAsync(server);

        Assert.True(result.ExitCode == 1, result.ToString());
        var first = result.Stderr.Split('\n')[0];
        Assert.Equal(
            "klaviyo: Klaviyo answered 400 Bad Request: invalid: Bad\uFFFD: x\uFFFDy",
            first
        );
        using var printed = JsonDocument.Parse(result.Stderr[(first.Length + 1)..]);
        Assert.Equal(
            "invalid",
            printed.RootElement.GetProperty("errors")[0].GetProperty("code").GetString()
        );
    }

    [Fact]
    public async Task All_pages_with_lone_surrogates_and_broken_keys_are_written_not_crashed_on()
    {
        var page = Encoding.ASCII.GetBytes(
            """{"data":[{"type":"profile","id":"p\ud800","\udc00":1}],"included":[{"type":"list","id":"L\ud800"},{"type":"list","id":"L\ud800"}],"links":{"next":null},"\udc00":0}"""
        );
        await using var server = await LoopbackServer.StartAsync(
            Answer(200, "application/vnd.api+json", page)
        );

        var result = await CallAsync(server, "--all-pages", "--compact");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            """{"data":[{"type":"profile","id":"p\ud800","\\udc00":1}],"included":[{"type":"list","id":"L\ud800"}]}"""
                + "\n",
            result.Stdout
        );
    }

    [Fact]
    public async Task A_text_success_body_is_the_command_output_and_stays_as_sent()
    {
        // docs/cli.md: "One call: the response body on standard output" -- the bytes are the output.
        await using var server = await LoopbackServer.StartAsync(
            Answer(200, "text/plain", Encoding.UTF8.GetBytes("line one\nline two\n"))
        );

        var result = await CallAsync(server);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("line one\nline two\n", result.Stdout);
    }
}
