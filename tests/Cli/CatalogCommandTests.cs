using System.Text.RegularExpressions;
using Xunit;

namespace Klaviyo.Tests.Cli;

/// <summary><c>klaviyo operations</c> and <c>klaviyo describe</c>, checked against the catalog.</summary>
public class CatalogCommandTests
{
    [Fact]
    public async Task Operations_with_tag_Lists_lists_every_Lists_operation_and_no_other()
    {
        var result = await CliProcess.RunAsync("operations", "--tag", "Lists");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.TrimEnd('\n').Split('\n');
        Assert.Matches(@"^OPERATION +METHOD +PATH +RATE$", lines[0]);
        var expected = OperationCatalog.All.Where(e => e.Tag == "Lists").ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Count, lines.Length - 1);
        foreach (var (entry, line) in expected.Zip(lines.Skip(1)))
            Assert.Matches(
                $"^{Regex.Escape(entry.OperationId)} +{entry.Method.Method} +{Regex.Escape(entry.PathTemplate)} +{Regex.Escape(entry.RateLimit.Burst!.ToString())} ",
                line
            );
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^get_lists +GET +/api/lists +\S"));
    }

    [Fact]
    public async Task Operations_search_finds_by_alias_path_and_id_in_any_case()
    {
        var result = await CliProcess.RunAsync("operations", "--search", "PROFILE-BULK-IMPORT");

        Assert.True(result.ExitCode == 0, result.ToString());
        var ids = result
            .Stdout.Split('\n')
            .Skip(1)
            .Where(l => l.Length > 0)
            .Select(l => l.Split(' ')[0]);
        var expected = OperationCatalog
            .All.Where(e =>
                e.PathTemplate.Contains("profile-bulk-import", StringComparison.OrdinalIgnoreCase)
                || e.OperationId.Contains("profile-bulk-import", StringComparison.OrdinalIgnoreCase)
                || e.Summary.Contains("profile-bulk-import", StringComparison.OrdinalIgnoreCase)
                || e.Aliases.Exists(a =>
                    a.Contains("profile-bulk-import", StringComparison.OrdinalIgnoreCase)
                )
            )
            .Select(e => e.OperationId);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, ids);
    }

    [Fact]
    public async Task An_unknown_tag_exits_2_and_names_the_tags()
    {
        var result = await CliProcess.RunAsync("operations", "--tag", "List");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("klaviyo: unknown tag 'List' (did you mean Lists", result.Stderr);
        Assert.Contains("Profiles", result.Stderr);
    }

    [Fact]
    public async Task Describe_get_profiles_shows_what_the_catalog_says()
    {
        var entry = OperationCatalog.Find("get_profiles").IfNoneUnsafe((CatalogEntry?)null)!;

        var result = await CliProcess.RunAsync("describe", "get_profiles");

        Assert.True(result.ExitCode == 0, result.ToString());
        var text = result.Stdout;
        Assert.StartsWith($"get_profiles: {entry.Summary}\n", text);
        Assert.Contains("\n  method       GET\n", text);
        Assert.Contains("\n  path         /api/profiles\n", text);
        Assert.Contains("\n  C#           Profiles.GetProfiles\n", text);
        Assert.Contains($"\n  success      {entry.SuccessStatus}\n", text);
        Assert.Contains($"\n  rate limit   {entry.RateLimit}\n", text);
        Assert.Contains($"\n  scopes       {string.Join(", ", entry.Scopes)}\n", text);
        Assert.Contains("\n  paginated    yes", text);
        foreach (var parameter in entry.QueryParameters)
            Assert.Matches($"\n  {Regex.Escape(parameter.Name)} +(optional|required)", text);
        var pageSize = entry
            .QueryParameters.Find(p => p.Name == "page[size]")
            .IfNoneUnsafe((QueryParameterInfo?)null)!;
        Assert.Matches(
            $@"\n  page\[size\] +optional; integer {pageSize.Minimum}\.\.{pageSize.Maximum}\n",
            text
        );
        Assert.Matches(@"\n  sort +optional; one of: created, -created,", text);
        foreach (var filter in entry.Filters)
            Assert.Contains($"\n  {filter.Field}", text);
        Assert.Matches(@"\n  email +equals \(string\); with a list: any, equals\n", text);
    }

    [Fact]
    public async Task Describe_accepts_an_alias_and_the_csharp_name()
    {
        var byName = await CliProcess.RunAsync("describe", "Profiles.GetProfile");
        var aliased = OperationCatalog.All.First(e => !e.Aliases.IsEmpty);
        var byAlias = await CliProcess.RunAsync("describe", aliased.Aliases.Head);

        Assert.True(byName.ExitCode == 0, byName.ToString());
        Assert.StartsWith("get_profile: ", byName.Stdout);
        Assert.True(byAlias.ExitCode == 0, byAlias.ToString());
        Assert.StartsWith($"{aliased.OperationId}: ", byAlias.Stdout);
        Assert.Contains($"\n  aliases      {string.Join(", ", aliased.Aliases)}\n", byAlias.Stdout);
    }

    [Fact]
    public async Task No_command_exits_2_with_usage_on_stderr()
    {
        var result = await CliProcess.RunAsync();

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("klaviyo --help", result.Stderr);
    }
}
