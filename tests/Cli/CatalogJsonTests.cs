using System.Text.Json;
using Xunit;

namespace Klaviyo.Tests.Cli;

/// <summary><c>operations --json</c> and <c>describe --json</c>: the catalog for scripts.</summary>
public class CatalogJsonTests
{
    private static readonly string[] Members =
    [
        "id",
        "aliases",
        "summary",
        "method",
        "path",
        "tag",
        "library_method",
        "call",
        "path_parameters",
        "query_parameters",
        "filters",
        "body",
        "success_status",
        "rate_limit",
        "scopes",
        "paginated",
        "sends_credentials",
    ];

    [Fact]
    public async Task Operations_json_lists_every_operation_in_catalog_order_with_every_member()
    {
        var result = await CliProcess.RunAsync("operations", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        var items = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(
            OperationCatalog.All.Select(e => e.OperationId),
            items.Select(i => i.GetProperty("id").GetString())
        );
        foreach (var item in items)
            Assert.Equal(Members, item.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Operations_json_honours_tag_and_search()
    {
        var result = await CliProcess.RunAsync(
            "operations",
            "--tag",
            "Lists",
            "--search",
            "create",
            "--json"
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        var ids = doc
            .RootElement.EnumerateArray()
            .Select(i => i.GetProperty("id").GetString())
            .ToList();
        Assert.Contains("create_list", ids);
        Assert.All(
            doc.RootElement.EnumerateArray(),
            i => Assert.Equal("Lists", i.GetProperty("tag").GetString())
        );
    }

    [Fact]
    public async Task Describe_json_gives_parameters_limits_scopes_and_paging_from_the_catalog()
    {
        var entry = OperationCatalog.Find("get_profiles").IfNoneUnsafe((CatalogEntry?)null)!;

        var result = await CliProcess.RunAsync("describe", "Profiles.GetProfiles", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        var root = doc.RootElement;
        Assert.Equal("get_profiles", root.GetProperty("id").GetString());
        Assert.Equal("GET", root.GetProperty("method").GetString());
        Assert.Equal("/api/profiles", root.GetProperty("path").GetString());
        Assert.True(root.GetProperty("paginated").GetBoolean());
        Assert.True(root.GetProperty("sends_credentials").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("body").ValueKind);
        Assert.Equal(
            entry.Scopes,
            root.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!)
        );
        var size = root.GetProperty("query_parameters")
            .EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "page[size]");
        Assert.False(size.GetProperty("required").GetBoolean());
        Assert.Equal(1, size.GetProperty("minimum").GetInt32());
        Assert.Equal(100, size.GetProperty("maximum").GetInt32());
        var fields = root.GetProperty("query_parameters")
            .EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "fields[profile]");
        Assert.Contains(
            "email",
            fields.GetProperty("values").EnumerateArray().Select(v => v.GetString())
        );
        var rate = root.GetProperty("rate_limit");
        Assert.Equal(
            entry.RateLimit.Burst!.Count,
            rate.GetProperty("burst").GetProperty("count").GetInt32()
        );
        Assert.Equal(1, rate.GetProperty("burst").GetProperty("per_seconds").GetInt32());
        Assert.Equal(
            entry.RateLimit.Steady!.Count,
            rate.GetProperty("steady").GetProperty("count").GetInt32()
        );
        Assert.Equal(60, rate.GetProperty("steady").GetProperty("per_seconds").GetInt32());
        var email = root.GetProperty("filters")
            .EnumerateArray()
            .Single(f => f.GetProperty("field").GetString() == "email");
        Assert.Contains(
            "equals",
            email.GetProperty("operators").EnumerateArray().Select(o => o.GetString())
        );
    }

    [Fact]
    public async Task Describe_json_gives_the_body_shape_and_example()
    {
        var result = await CliProcess.RunAsync("describe", "create_list", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        var body = doc.RootElement.GetProperty("body");
        Assert.Equal("application/vnd.api+json", body.GetProperty("content_type").GetString());
        Assert.True(body.GetProperty("supported").GetBoolean());
        Assert.Equal("ListCreateQuery", body.GetProperty("schema").GetString());
        var type = body.GetProperty("members")
            .EnumerateArray()
            .Single(m => m.GetProperty("path").GetString() == "data.type");
        Assert.True(type.GetProperty("required").GetBoolean());
        Assert.Equal(
            ["list"],
            type.GetProperty("values").EnumerateArray().Select(v => v.GetString()!)
        );
        Assert.Equal(
            "list",
            body.GetProperty("example").GetProperty("data").GetProperty("type").GetString()
        );
    }

    [Fact]
    public async Task Describe_json_of_an_unknown_operation_exits_2_with_suggestions_and_no_json()
    {
        var result = await CliProcess.RunAsync("describe", "get_profils", "--json");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("", result.Stdout);
        Assert.Contains("did you mean get_profile", result.Stderr);
    }
}
