using System.Text.Json;
using Klaviyo.Cli;
using Xunit;

namespace Klaviyo.Tests.Cli;

/// <summary><c>klaviyo describe OP</c> explains the request body, and <c>--example-body</c> gives one to start from.</summary>
public class BodyShapeTests
{
    [Fact]
    public async Task Describe_shows_the_body_members_required_ones_enums_and_the_resource_type()
    {
        var result = await CliProcess.RunAsync("describe", "create_list");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(
            "body (ListCreateQuery; start from 'klaviyo describe create_list --example-body'):\n",
            result.Stdout
        );
        Assert.Matches(@"\n  data\.type +required ""list""\n", result.Stdout);
        Assert.Matches(@"\n  data\.attributes\.name +required string\. ", result.Stdout);
        Assert.Matches(
            @"\n  data\.attributes\.opt_in_process +optional string; one of: double_opt_in, single_opt_in",
            result.Stdout
        );
    }

    [Fact]
    public async Task Describe_of_an_operation_without_a_body_shows_no_body_section()
    {
        var result = await CliProcess.RunAsync("describe", "get_lists");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("\nbody (", result.Stdout);
    }

    [Fact]
    public async Task Example_body_prints_json_that_a_dry_run_accepts_as_the_body()
    {
        var example = await CliProcess.RunAsync("describe", "create_list", "--example-body");
        Assert.True(example.ExitCode == 0, example.ToString());
        using (var doc = JsonDocument.Parse(example.Stdout))
        {
            Assert.Equal(
                "list",
                doc.RootElement.GetProperty("data").GetProperty("type").GetString()
            );
            Assert.Equal(
                JsonValueKind.String,
                doc.RootElement.GetProperty("data")
                    .GetProperty("attributes")
                    .GetProperty("name")
                    .ValueKind
            );
        }

        var sent = await CliProcess.RunAsync(
            ["call", "create_list", "--body", "-", "--dry-run", "--format", "http"],
            stdin: example.Stdout
        );

        Assert.True(sent.ExitCode == 0, sent.ToString());
        Assert.StartsWith("POST /api/lists HTTP/1.1", sent.Stdout);
        Assert.Contains("\"type\":\"list\"", sent.Stdout.Replace(" ", ""));
    }

    [Fact]
    public async Task Example_body_for_an_operation_without_a_body_exits_2()
    {
        var result = await CliProcess.RunAsync("describe", "get_lists", "--example-body");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("klaviyo: get_lists takes no body\n", result.Stderr);
    }

    // The shapes as the tool gives them to scripts (describe --json), for every operation.
    private static List<(string Id, JsonElement Body)> Bodies(JsonDocument all) =>
        all
            .RootElement.EnumerateArray()
            .Where(o => o.GetProperty("body").ValueKind == JsonValueKind.Object)
            .Select(o => (o.GetProperty("id").GetString()!, o.GetProperty("body")))
            .ToList();

    [Fact]
    public void Every_json_body_operation_has_a_shape_with_a_resource_type()
    {
        using var all = JsonDocument.Parse(CatalogJson.Array(OperationCatalog.All));
        var bodies = Bodies(all);

        Assert.NotEmpty(bodies);
        foreach (var (id, body) in bodies.Where(b => b.Body.GetProperty("supported").GetBoolean()))
        {
            Assert.True(body.GetProperty("schema").ValueKind == JsonValueKind.String, id);
            Assert.Contains(
                body.GetProperty("members").EnumerateArray(),
                m => m.GetProperty("path").GetString()!.EndsWith("type", StringComparison.Ordinal)
            );
            Assert.Equal(JsonValueKind.Object, body.GetProperty("example").ValueKind);
        }
    }

    [Fact]
    public void Every_example_body_holds_its_required_members_with_allowed_values()
    {
        using var all = JsonDocument.Parse(CatalogJson.Array(OperationCatalog.All));
        var checkedMembers = 0;
        foreach (var (id, body) in Bodies(all))
        {
            var example = body.GetProperty("example");
            foreach (var member in body.GetProperty("members").EnumerateArray())
            {
                var path = member.GetProperty("path").GetString()!;
                var values = member
                    .GetProperty("values")
                    .EnumerateArray()
                    .Select(v => v.GetString()!)
                    .ToList();
                var parent = Find(example, Parent(path));
                // Only members of objects the example has (an optional object left out takes its members with it).
                if (parent is not { ValueKind: JsonValueKind.Object } p)
                    continue;
                checkedMembers++;
                var present = p.TryGetProperty(Last(path), out var value);
                if (member.GetProperty("required").GetBoolean())
                    Assert.True(present, $"{id}: {path} is required but missing from {example}");
                if (present && values.Count > 0 && value.ValueKind == JsonValueKind.String)
                    Assert.True(
                        values.Contains(value.GetString()!),
                        $"{id}: {path} = {value} is not one of {string.Join(", ", values)}"
                    );
            }
        }
        Assert.True(checkedMembers > 500, $"only {checkedMembers} members checked");
    }

    [Fact]
    public void Describe_text_lists_every_member_of_the_json_shape()
    {
        var entry = OperationCatalog.Find("create_profile").IfNoneUnsafe((CatalogEntry?)null)!;
        var text = DescribeCommand.Describe(entry);
        using var json = JsonDocument.Parse(CatalogJson.Object(entry));

        var members = json
            .RootElement.GetProperty("body")
            .GetProperty("members")
            .EnumerateArray()
            .ToList();
        Assert.NotEmpty(members);
        foreach (var member in members)
            Assert.Contains("\n  " + member.GetProperty("path").GetString(), text);
    }

    private static string Parent(string path) =>
        path.LastIndexOf('.') is var dot and > 0 ? path[..dot] : "";

    private static string Last(string path) =>
        path.LastIndexOf('.') is var dot and > 0 ? path[(dot + 1)..] : path;

    // Follows a member path through objects, taking the first item of arrays ("[]").
    private static JsonElement? Find(JsonElement root, string path)
    {
        var node = root;
        if (path.Length == 0)
            return node;
        foreach (var part in path.Split('.'))
        {
            var name = part.EndsWith("[]", StringComparison.Ordinal) ? part[..^2] : part;
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(name, out node))
                return null;
            for (var p = part; p.EndsWith("[]", StringComparison.Ordinal); p = p[..^2])
            {
                if (node.ValueKind != JsonValueKind.Array || node.GetArrayLength() == 0)
                    return null;
                node = node[0];
            }
        }
        return node;
    }
}
