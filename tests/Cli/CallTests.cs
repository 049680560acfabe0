using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Klaviyo.Tests.Cli;

/// <summary><c>klaviyo call</c> as a process against a real Kestrel server on 127.0.0.1.</summary>
public class CallTests
{
    private const string Key = "pk_cli_test_0123456789abcdef";

    private const string ProfilesJson = """
        {"data":[{"type":"profile","id":"01ABC","attributes":{"email":"ada@example.com","first_name":"Ada"}}],"links":{"self":"x","next":null}}
        """;

    [Fact]
    public async Task Prints_the_response_json_indented_and_exits_0()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(200, ProfilesJson)
        );

        var result = await CliProcess.RunAsync(
            ["call", "get_profiles", "--query", "page[size]=5", "--base-url", server.BaseUrl],
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        using var printed = JsonDocument.Parse(result.Stdout);
        using var sent = JsonDocument.Parse(ProfilesJson);
        Assert.True(JsonElement.DeepEquals(sent.RootElement, printed.RootElement), result.Stdout);
        Assert.Contains("\n  \"data\": [", result.Stdout);
        Assert.EndsWith("}\n", result.Stdout);
        Assert.Equal("", result.Stderr);

        var request = Assert.Single(server.Received);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/api/profiles", request.Path);
        Assert.Equal("?page%5Bsize%5D=5", request.QueryString);
        Assert.Equal($"Klaviyo-API-Key {Key}", request.Header("authorization"));
        Assert.Equal(OperationCatalog.Revision, request.Header("revision"));
    }

    [Fact]
    public async Task Compact_prints_the_json_on_one_line()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(200, ProfilesJson)
        );

        var result = await CliProcess.RunAsync(
            ["call", "get_profiles", "--compact", "--base-url", server.BaseUrl],
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(ProfilesJson.Trim() + "\n", result.Stdout);
    }

    [Fact]
    public async Task A_404_exits_1_with_the_error_and_its_body_on_stderr()
    {
        const string errors = """
            {"errors":[{"id":"e1","status":404,"code":"not_found","title":"Not found.","detail":"No profile with id 'nope'."}]}
            """;
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(404, errors)
        );

        var result = await CliProcess.RunAsync(
            ["call", "get_profile", "nope", "--base-url", server.BaseUrl],
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("", result.Stdout);
        var lines = result.Stderr.Split('\n');
        Assert.StartsWith("klaviyo: Klaviyo answered 404 Not Found: not_found", lines[0]);
        Assert.Contains("No profile with id 'nope'.", lines[0]);
        using var body = JsonDocument.Parse(string.Join('\n', lines.Skip(1)));
        Assert.Equal(
            "not_found",
            body.RootElement.GetProperty("errors")[0].GetProperty("code").GetString()
        );
        Assert.DoesNotContain(Key, result.Stderr);
        Assert.Equal("/api/profiles/nope", Assert.Single(server.Received).Path);
    }

    [Fact]
    public async Task A_fields_value_outside_the_spec_exits_2_and_sends_nothing()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(200, ProfilesJson)
        );

        var result = await CliProcess.RunAsync(
            [
                "call",
                "get_profiles",
                "--query",
                "fields[profile]=emial",
                "--base-url",
                server.BaseUrl,
            ],
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("klaviyo: invalid request: ", result.Stderr);
        Assert.Contains("emial", result.Stderr);
        Assert.Contains("email", result.Stderr);
        Assert.Equal("", result.Stdout);
        Assert.Equal(0, server.Count);
    }

    [Fact]
    public async Task A_missing_path_argument_exits_2_and_sends_nothing()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(200, ProfilesJson)
        );

        var result = await CliProcess.RunAsync(
            ["call", "get_profile", "--base-url", server.BaseUrl],
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(
            "klaviyo: get_profile takes 1 path argument(s) (id), but 0 were given: klaviyo call get_profile ID\n",
            result.Stderr
        );
        Assert.Equal(0, server.Count);
    }

    [Fact]
    public async Task An_unknown_operation_exits_2_and_suggests_the_nearest()
    {
        var result = await CliProcess.RunAsync(["call", "get_profils"], CliProcess.WithKey(Key));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith(
            "klaviyo: unknown operation 'get_profils' (did you mean get_profile",
            result.Stderr
        );
        Assert.Contains("get_profiles", result.Stderr);
    }

    [Fact]
    public async Task An_unknown_option_exits_2()
    {
        var result = await CliProcess.RunAsync(["call", "get_profiles", "--nope"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("klaviyo: unknown option '--nope'", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task A_path_argument_starting_with_a_dash_is_taken_after_a_double_dash()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(200, ProfilesJson)
        );

        var result = await CliProcess.RunAsync(
            ["call", "get_profile", "--base-url", server.BaseUrl, "--", "-dash"],
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("/api/profiles/-dash", Assert.Single(server.Received).Path);
    }

    [Fact]
    public async Task A_closed_port_exits_3_with_a_transport_error()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await CliProcess.RunAsync(
            ["call", "get_profiles", "--base-url", $"http://127.0.0.1:{port}", "--timeout", "10"],
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.StartsWith("klaviyo: transport failure: ", result.Stderr);
        Assert.DoesNotContain(Key, result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task A_response_that_claims_json_but_is_not_exits_3()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(200, "{\"data\": [", "application/vnd.api+json")
        );

        var result = await CliProcess.RunAsync(
            ["call", "get_profiles", "--base-url", server.BaseUrl],
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.StartsWith("klaviyo: undecodable response (status 200)", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task No_response_within_the_timeout_exits_3()
    {
        await using var server = await LoopbackServer.StartAsync(
            async (ctx, _) => await Task.Delay(TimeSpan.FromSeconds(30), ctx.RequestAborted)
        );

        var result = await CliProcess.RunAsync(
            ["call", "get_profiles", "--timeout", "0.5", "--base-url", server.BaseUrl],
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal("klaviyo: no response within 0.5 s\n", result.Stderr);
    }

    [Fact]
    public async Task All_pages_prints_one_document_with_every_item_and_nothing_on_a_redirected_stderr()
    {
        await using var server = await PagingServer.StartAsync(items: 7, pageSize: 3);

        var result = await CliProcess.RunAsync(
            ["call", "get_profiles", "--all-pages", "--base-url", server.BaseUrl],
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Stdout);
        var ids = document
            .RootElement.GetProperty("data")
            .EnumerateArray()
            .Select(r => r.GetProperty("id").GetString())
            .ToArray();
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"p{i}").ToArray(), ids);
        Assert.Equal(3, server.Count);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task Max_pages_stops_after_that_many_pages()
    {
        await using var server = await PagingServer.StartAsync(items: 10, pageSize: 2);

        var result = await CliProcess.RunAsync(
            [
                "call",
                "get_profiles",
                "--all-pages",
                "--max-pages",
                "2",
                "--compact",
                "--base-url",
                server.BaseUrl,
            ],
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Stdout);
        Assert.Equal(4, document.RootElement.GetProperty("data").GetArrayLength());
        Assert.Equal(2, server.Count);
    }

    [Fact]
    public async Task A_failing_page_stops_all_pages_with_the_api_exit_code()
    {
        await using var server = await LoopbackServer.StartAsync(
            async (ctx, req) =>
            {
                var second = req.QueryString.Contains("cursor");
                ctx.Response.StatusCode = second ? 500 : 200;
                ctx.Response.ContentType = "application/vnd.api+json";
                await ctx.Response.WriteAsync(
                    second
                        ? """{"errors":[{"code":"error","title":"boom"}]}"""
                        : $$$"""{"data":[{"type":"profile","id":"p0"}],"links":{"next":"http://127.0.0.1:{{{ctx.Connection.LocalPort}}}/api/profiles?page%5Bcursor%5D=1"}}"""
                );
            }
        );

        var result = await CliProcess.RunAsync(
            ["call", "get_profiles", "--all-pages", "--base-url", server.BaseUrl],
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("klaviyo: Klaviyo answered 500", result.Stderr);
        Assert.Contains("\"p0\"", result.Stdout);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(result.Stdout).Dispose());
    }

    [Fact]
    public async Task A_body_from_stdin_is_sent_as_json_api()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(
                201,
                """{"data":{"type":"profile","id":"new1","attributes":{"email":"ada@example.com"}}}"""
            )
        );
        const string body =
            """{"data":{"type":"profile","attributes":{"email":"ada@example.com"}}}""";

        var result = await CliProcess.RunAsync(
            ["call", "create_profile", "--body", "-", "--base-url", server.BaseUrl],
            CliProcess.WithKey(Key),
            stdin: body
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        var request = Assert.Single(server.Received);
        Assert.Equal("POST", request.Method);
        Assert.Equal("application/vnd.api+json", request.Header("content-type"));
        using var sent = JsonDocument.Parse(request.Body);
        using var expected = JsonDocument.Parse(body);
        Assert.True(
            JsonElement.DeepEquals(expected.RootElement, sent.RootElement),
            request.BodyText
        );
        Assert.Contains("\"new1\"", result.Stdout);
    }

    [Fact]
    public async Task A_body_that_is_not_json_exits_2_and_sends_nothing()
    {
        await using var server = await LoopbackServer.StartAsync(LoopbackServer.Respond(201, "{}"));

        var result = await CliProcess.RunAsync(
            ["call", "create_profile", "--body", "-", "--base-url", server.BaseUrl],
            CliProcess.WithKey(Key),
            stdin: "{not json"
        );

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith(
            "klaviyo: the --body from standard input is not valid JSON",
            result.Stderr
        );
        Assert.Equal(0, server.Count);
    }

    [Fact]
    public async Task Retry_linear_sends_again_after_a_503()
    {
        var calls = 0;
        await using var server = await LoopbackServer.StartAsync(
            (ctx, req) =>
                Interlocked.Increment(ref calls) == 1
                    ? LoopbackServer.Respond(503, """{"errors":[]}""")(ctx, req)
                    : LoopbackServer.Respond(200, ProfilesJson)(ctx, req)
        );

        var result = await CliProcess.RunAsync(
            [
                "call",
                "get_profiles",
                "--retry",
                "linear",
                "--max-retries",
                "2",
                "--base-url",
                server.BaseUrl,
            ],
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(2, server.Count);
        Assert.Contains("ada@example.com", result.Stdout);
    }

    [Fact]
    public async Task Without_retry_a_503_exits_1_after_one_send()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(503, """{"errors":[{"code":"unavailable"}]}""")
        );

        var result = await CliProcess.RunAsync(
            ["call", "get_profiles", "--base-url", server.BaseUrl],
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(1, server.Count);
    }

    [Fact]
    public async Task The_api_key_file_is_sent_and_never_printed()
    {
        using var temp = new TempFolder();
        var keyFile = temp.File("key");
        await File.WriteAllTextAsync(keyFile, Key + "\n");
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(401, """{"errors":[{"code":"not_authenticated"}]}""")
        );

        var result = await CliProcess.RunAsync([
            "call",
            "get_profiles",
            "--api-key-file",
            keyFile,
            "--base-url",
            server.BaseUrl,
        ]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(
            $"Klaviyo-API-Key {Key}",
            Assert.Single(server.Received).Header("authorization")
        );
        Assert.DoesNotContain(Key, result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task The_access_token_is_sent_as_a_bearer_token()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(200, ProfilesJson)
        );

        var result = await CliProcess.RunAsync(
            ["call", "get_profiles", "--base-url", server.BaseUrl],
            new Dictionary<string, string> { ["KLAVIYO_ACCESS_TOKEN"] = "tok_abc" }
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Bearer tok_abc", Assert.Single(server.Received).Header("authorization"));
    }

    [Fact]
    public async Task A_client_api_operation_is_sent_without_credentials_even_with_none_set()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(200, """{"data":[]}""")
        );

        var result = await CliProcess.RunAsync([
            "call",
            "get_client_geofences",
            "--query",
            "company_id=PUBLIC1",
            "--base-url",
            server.BaseUrl,
        ]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var request = Assert.Single(server.Received);
        Assert.Equal("/client/geofences", request.Path);
        Assert.Null(request.Header("authorization"));
        Assert.Equal("?company_id=PUBLIC1", request.QueryString);
    }

    [Fact]
    public async Task A_base_url_path_is_put_before_the_operation_path()
    {
        await using var server = await LoopbackServer.StartAsync(
            LoopbackServer.Respond(200, ProfilesJson)
        );

        var result = await CliProcess.RunAsync(
            ["call", "get_profile", "a b/c", "--base-url", server.BaseUrl + "/proxy/"],
            CliProcess.WithKey(Key)
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("/proxy/api/profiles/a%20b%2Fc", Assert.Single(server.Received).RawTarget);
    }
}
