using System.Text.Json;
using Xunit;

namespace Klaviyo.Tests.Cli;

/// <summary>
/// <c>--no-body-check</c>: a body the spec's schema refuses (a member newer than the spec, say) is refused by default
/// and sent as given with the option, by <c>klaviyo call</c> and <c>klaviyo bulk</c>.
/// </summary>
public class NoBodyCheckTests
{
    private const string Key = "pk_cli_nobodycheck_0123456789";

    // "name" must be a string in the spec; a list is what a body newer than the spec might send.
    private const string ListBody = """{"data":{"type":"list","attributes":{"name":["a","b"]}}}""";

    [Fact]
    public async Task Call_refuses_a_body_the_schema_refuses_and_names_the_member()
    {
        var result = await CliProcess.RunAsync(
            ["call", "create_list", "--body", "-", "--dry-run"],
            stdin: ListBody
        );

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("data.attributes.name", result.Stderr);
        Assert.DoesNotContain("POST /api/lists", result.Stdout);
    }

    [Fact]
    public async Task Call_with_no_body_check_sends_the_body_as_given()
    {
        var result = await CliProcess.RunAsync(
            [
                "call",
                "create_list",
                "--body",
                "-",
                "--dry-run",
                "--format",
                "http",
                "--no-body-check",
            ],
            stdin: ListBody
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("POST /api/lists HTTP/1.1", result.Stdout);
        Assert.Contains(
            "\"name\":[\"a\",\"b\"]",
            System.Text.RegularExpressions.Regex.Replace(result.Stdout, @"\s", "")
        );
    }

    [Fact]
    public async Task Bulk_with_no_body_check_sends_items_the_schema_refuses_and_refuses_them_without()
    {
        using var temp = new TempFolder();
        var file = temp.File("profiles.jsonl");
        // "title" is a string in the spec.
        File.WriteAllText(file, """{"email":"a@example.com","title":["x","y"]}""" + "\n");
        await using var server = await BulkJobServer.StartAsync(
            new BulkJobServer { JobIds = n => $"JOB{n}" }
        );
        string[] Args(params string[] more) =>
            [
                "bulk",
                "import-profiles",
                "--file",
                file,
                "--base-url",
                server.Server.BaseUrl,
                "--poll-delay",
                "0.01",
                "--poll-max-delay",
                "0.02",
                .. more,
            ];

        var refused = await CliProcess.RunAsync(Args(), CliProcess.WithKey(Key));
        Assert.True(refused.ExitCode != 0, refused.ToString());
        Assert.Contains("title", refused.Stderr + refused.Stdout);
        Assert.Empty(server.Creates);

        var sent = await CliProcess.RunAsync(Args("--no-body-check"), CliProcess.WithKey(Key));
        Assert.True(sent.ExitCode == 0, sent.ToString());
        var create = Assert.Single(server.Creates);
        var profile = JsonDocument
            .Parse(create.BodyText)
            .RootElement.GetProperty("data")
            .GetProperty("attributes")
            .GetProperty("profiles")
            .GetProperty("data")[0];
        Assert.Equal(
            JsonValueKind.Array,
            profile.GetProperty("attributes").GetProperty("title").ValueKind
        );
    }
}
